import type { Worker } from 'node:worker_threads';
import { CONNECTION_PRAGMAS } from './database.js';
import { startSourceThread, type ThreadBody } from './source-thread.js';

/**
 * Rows for one statement: `params` holds `width` values per row, flat, so a batch of
 * thousands of rows crosses to the thread as one array instead of one array per row.
 */
export interface WriteOp {
  sql: string;
  width: number;
  params: unknown[];
}

export type CommitAnswer = { ok: true } | { ok: false; code: string; message: string };

/** The writer's word that SQLite refused a pragma; not an answer to any commit. */
export interface PragmaRefused {
  pragma: string;
  message: string;
}

/**
 * The body of the writer thread, given to the Worker as source text: one connection that
 * applies each batch of operations in one transaction and answers. It knows no tables;
 * the stores send their SQL with their rows, and each statement is prepared once.
 */
function writerThread(require: NodeRequire): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(workerData.file);
  for (const pragma of workerData.pragmas as string[]) db.pragma(pragma);
  db.pragma(`journal_size_limit = ${workerData.walLimitBytes}`);
  // SQLite's default counts pages (1,000); on 1 KiB pages that checkpoints every MiB, and a
  // page rewritten by many commits is copied back each time instead of once.
  db.pragma(`wal_autocheckpoint = ${Math.ceil(workerData.autocheckpointBytes / (db.pragma('page_size', { simple: true }) as number))}`);
  // Until the hub gets busy, this connection checkpoints itself (SQLite's default); once the
  // checkpointer thread runs, checkpoints are its work and a commit never waits for one.
  let checkpointer = false;
  let commits = 0;
  const prepared = new Map<string, import('better-sqlite3').Statement>();
  // Read once: from here on only this thread commits, and it knows what it committed.
  let done = db.prepare<[], { commit_no: number }>('SELECT commit_no FROM writer_progress WHERE id = 1').get()!.commit_no;
  const saveProgress = db.prepare('UPDATE writer_progress SET commit_no = ? WHERE id = 1');
  const commit = db.transaction((no: number, ops: WriteOp[]) => {
    saveProgress.run(no);
    for (const { sql, width, params } of ops) {
      let statement = prepared.get(sql);
      if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
      if (width === 0) statement.run();
      else for (let i = 0; i < params.length; i += width) statement.run(...params.slice(i, i + width));
    }
  });
  // Each batch gets exactly one answer, so the hub can pair answers with commits.
  const answer = (no: number, ops: WriteOp[]): CommitAnswer => {
    // Sent again after an earlier thread stopped between committing and answering: done already.
    if (no <= done) return { ok: true };
    try {
      commit(no, ops);
      done = no;
      return { ok: true };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      return { ok: false, code: code ?? 'ERROR', message: message ?? String(error) };
    }
  };
  // A checkpoint that fails (a busy or failing disk) is simply tried again later; the
  // commits themselves report storage faults.
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {}
  };
  parentPort!.on('message', (message: { ops?: WriteOp[]; no?: number; pragma?: string; checkpointer?: true; close?: true }) => {
    if (message.ops) {
      parentPort!.postMessage(answer(message.no!, message.ops));
      // The checkpointer copies the WAL back while commits go on, so it is never quite done,
      // and a WAL is only started over once all of it is copied. Now and then the writer,
      // between commits, copies the little that is left itself, so the next commit starts
      // the WAL over instead of letting it grow.
      if (checkpointer && ++commits % workerData.finishEvery === 0) checkpoint();
    } else if (message.checkpointer) {
      checkpointer = true;
      db.pragma('wal_autocheckpoint = 0');
    } else if (message.pragma) {
      // A pragma SQLite refuses must not end the thread: it is reported, and commits go on.
      try {
        db.pragma(message.pragma);
      } catch (error) {
        parentPort!.postMessage({ pragma: message.pragma, message: (error as Error).message } satisfies PragmaRefused);
      }
    } else if (message.close) {
      db.close();
      parentPort!.close();
    }
  });
}

/**
 * The checkpointer: copies committed pages from the WAL back into the database file, on a
 * connection of its own, without ever holding up a writer (PASSIVE). Under a steady flood a
 * checkpoint of a few MB takes tens of milliseconds; on the writer, every commit behind it
 * would wait that long.
 */
function checkpointerThread(require: NodeRequire): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(workerData.file);
  let timer: NodeJS.Timeout | null = null;
  let everyMs = workerData.everyMs as number;
  const run = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failing storage: the writer reports storage faults; try again next time.
    }
    timer = setTimeout(run, everyMs);
  };
  run();
  parentPort!.on('message', (message: { everyMs?: number; close?: true }) => {
    if (timer) clearTimeout(timer);
    if (message.everyMs !== undefined) {
      // A new cadence counts from now (the timer it replaces may have been 30 s away).
      everyMs = message.everyMs;
      timer = setTimeout(run, everyMs);
      return;
    }
    db.close();
    parentPort!.close();
  });
}

/** Commits between the writer's own finishing checkpoints. */
const FINISH_EVERY_COMMITS = 20;
/** WAL grown by this much, the writer checkpoints (until the checkpointer thread takes over). */
const AUTOCHECKPOINT_BYTES = 4 * 1024 * 1024;
/** The WAL file is cut back to this size once it starts over. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Starts the writer thread on the database file. Commits (and the WAL checkpoints they set
 * off) then cost the event loop nothing: it only hands rows over and hears when they are on disk.
 */
export function startWriterThread(file: string): Worker {
  return thread(writerThread, { file, pragmas: CONNECTION_PRAGMAS, walLimitBytes: WAL_LIMIT_BYTES, autocheckpointBytes: AUTOCHECKPOINT_BYTES, finishEvery: FINISH_EVERY_COMMITS });
}

/**
 * Starts the checkpointer thread for a writer thread on `file`. Only a busy hub needs one
 * (a thread costs about 12 MB), so the write batch starts it when commits grow large.
 */
export function startCheckpointer(file: string, writer: Worker, everyMs: number): Worker {
  writer.postMessage({ checkpointer: true });
  return thread(checkpointerThread, { file, everyMs });
}

function thread(body: ThreadBody, workerData: object): Worker {
  const worker = startSourceThread(body, workerData);
  // The hub's servers keep the process alive; shutdown waits for the last commit itself.
  worker.unref();
  return worker;
}
