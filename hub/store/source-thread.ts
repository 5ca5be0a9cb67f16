import { Worker } from 'node:worker_threads';

/** A worker thread's body. It loads modules through `require`, the thread's own, given as its argument. */
export type ThreadBody = (require: NodeRequire) => void;

/**
 * Runs `body` on a new worker thread. The body travels as source text, not as a file, so the
 * same code runs from the hub's one-file bundle (hub/build/bundle.mjs), the per-file build and the test
 * runner's sources. It gets the thread's `require` as an argument because a bundler rewrites a
 * bare `require` in the hub's code into a helper of its own, which the new thread does not have.
 */
export function startSourceThread(body: ThreadBody, workerData: object): Worker {
  return new Worker(`(${body.toString()})(require)`, { eval: true, workerData });
}
