import { Worker } from 'node:worker_threads';

/** A worker thread's body. It loads modules through `require`, given as its argument. */
export type ThreadBody = (require: NodeRequire) => void;

/**
 * Runs `body` on a new worker thread. The body travels as source text, not as a file, so the
 * same code runs from the hub's one-file bundle (hub/build/bundle.mjs), the per-file build and
 * the test runner's sources. It gets its `require` as an argument for two reasons: a bundler
 * rewrites a bare `require` in the hub's code into a helper of its own, which the new thread
 * does not have; and the thread's own `require` resolves from the working directory, where
 * this one resolves from the hub's files (better-sqlite3 is found wherever the hub runs).
 */
export function startSourceThread(body: ThreadBody, workerData: object): Worker {
  const resolvingFrom = JSON.stringify(import.meta.url);
  return new Worker(`(${body.toString()})(require('node:module').createRequire(${resolvingFrom}))`, { eval: true, workerData });
}
