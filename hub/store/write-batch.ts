import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { Db } from './database.js';
import { startCheckpointer, startWriterThread, type CommitAnswer, type PragmaRefused, type WriteOp } from './writer-thread.js';

export type { WriteOp } from './writer-thread.js';

/**
 * What a writer hands over when a commit starts: its rows as operations, and what to do once
 * they are on disk. A writer gives up its pending rows here and starts collecting new ones,
 * since more arrive while the commit is under way.
 */
export interface Taken {
  ops: WriteOp[];
  committed?: () => void;
}

export interface StorageHealth {
  /** False while commits fail (disk full, database locked by another process, I/O error). */
  ok: boolean;
  error: string | null;
  failedCommits: number;
  /** Commits since the hub started: each is a synced write, which an SD card counts more than bytes. */
  commits: number;
}

export interface StorageLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** SQLite's answers that mean "the storage cannot take this now", not "this write is wrong". */
const STORAGE_FAULTS = /^SQLITE_(FULL|BUSY|LOCKED|IOERR|READONLY|CANTOPEN|PROTOCOL|NOMEM)/;
export const isStorageFault = (error: unknown): boolean => STORAGE_FAULTS.test((error as { code?: string } | null)?.code ?? '');

/**
 * A commit costs about as much for one row as for a thousand: every page a transaction
 * touches is written whole to the WAL. When the last commit carried at least this many rows
 * the hub is busy, and the next commit waits until BUSY_SPACING_MS after the last one began,
 * so each carries more. A quiet hub (a toggle, a few readings) still commits at the end of
 * the turn, with no wait.
 */
const BUSY_ROWS = 32;
const BUSY_SPACING_MS = 4;

/**
 * Rows a second from which checkpoints move to a thread of their own: a checkpoint then
 * copies several MB, and every commit behind it on the writer would wait for it.
 */
const BUSY_ROWS_PER_SECOND = 3000;
/**
 * How often the checkpointer copies the WAL back. Steady, every 30 s: a page several commits
 * rewrote meanwhile (the end of the journal, of the history, an index's inner pages) is
 * copied once. At 1,000 readings/s, 5 s instead of 50 ms took a reading from 1,659 to 1,362 B
 * written, and 30 s instead of 5 s from 760 to 674 B (the write-budget bench). The writer's
 * own finishing checkpoint (every 20 commits, writer-thread.ts) still bounds the WAL. In a
 * flood (FLOOD_ROWS_PER_SECOND) every 50 ms: 30 s of 20,000 readings/s is hundreds of MB of
 * WAL to copy at once.
 */
const CHECKPOINT_STEADY_MS = 30_000;
const CHECKPOINT_FLOOD_MS = 50;
const FLOOD_ROWS_PER_SECOND = 10_000;

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

interface Commit {
  /** Numbered once; a commit sent again keeps its number, so the writer can tell it has it already. */
  no: number;
  ops: WriteOp[];
  committed: (() => void)[];
  rows: number;
}

/**
 * Group commit on a thread of its own: writes queued during one turn of the event loop (a
 * few milliseconds when busy) go to SQLite in one transaction, one commit at a time, and only
 * after the commit is anybody told. So what a client has seen is always on disk, and the
 * event loop never waits for the disk.
 *
 * When the storage fails, the transaction rolls back and its rows are kept, in order, and
 * retried with back-off: nothing is lost or told early, and the hub keeps running.
 */
export class WriteBatch {
  private queue: (() => Taken)[] = [];
  /** The soonest any queued write wants its commit to start (performance.now()). */
  private earliestDue = Infinity;
  /** `at`: when the commit is set to start; `due`: when a writer queueing more starts it itself (see flushIfDue). */
  private scheduled: { timer: NodeJS.Immediate | NodeJS.Timeout; immediate: boolean; at: number; due: number } | null = null;
  private inFlight: Commit | null = null;
  /** A commit that failed, sent again before anything newer. */
  private carried: Commit | null = null;
  private lastStarted = 0;
  private lastRows = 0;
  private retry: NodeJS.Timeout | null = null;
  private consecutiveFailures = 0;
  private thread!: Worker;
  private checkpointer: Worker | null = null;
  /** How often the checkpointer copies the WAL back, as last told (see CHECKPOINT_STEADY_MS). */
  private checkpointEveryMs = CHECKPOINT_STEADY_MS;
  private lastCommitNo: number;
  private closing = false;
  private readonly file: string;
  /** Rows committed since `busyWindowStart`, to tell when the hub has become busy. */
  private busyRows = 0;
  private busyWindowStart = 0;
  private answered: ((answer: CommitAnswer) => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  private failureWaiters: (() => void)[] = [];
  private readonly failureListeners = new Set<() => void>();
  private faultCode = 'SQLITE_IOERR';
  readonly health: StorageHealth = { ok: true, error: null, failedCommits: 0, commits: 0 };

  constructor(
    db: Db,
    private readonly log: StorageLogger = { error() {}, warn() {} },
  ) {
    this.file = db.name;
    this.lastCommitNo = db.prepare<[], { commit_no: number }>('SELECT commit_no FROM writer_progress WHERE id = 1').get()!.commit_no;
    this.startThread();
    // The writer thread's commits set off the WAL checkpoints; this connection's few writes
    // (accounts, rooms, summaries) never stall the event loop with one.
    db.pragma('wal_autocheckpoint = 0');
  }

  private startThread(): void {
    const thread = startWriterThread(this.file);
    this.thread = thread;
    thread.on('message', (answer: CommitAnswer | PragmaRefused) => {
      if ('pragma' in answer) this.log.error({ pragma: answer.pragma, error: answer.message }, 'the database refused a pragma; writes go on without it');
      else this.answered?.(answer);
    });
    thread.on('error', (error) => this.log.error({ err: error }, 'the database writer thread failed'));
    thread.once('exit', () => {
      if (!this.closing) this.threadStopped();
    });
    if (this.checkpointer) thread.postMessage({ checkpointer: true });
  }

  /**
   * The writer thread ended unasked (out of memory, say): a new one takes over, and the commit
   * it left unanswered fails like any other, so it is sent again after the usual back-off.
   */
  private threadStopped(): void {
    this.log.error({}, 'the database writer thread stopped; a new one takes over');
    this.startThread();
    this.answered?.({ ok: false, code: 'SQLITE_IOERR_THREAD', message: 'the database writer thread stopped' });
  }

  /** True while commits fail and writes wait in memory for the retry. */
  get failing(): boolean {
    return this.consecutiveFailures > 0;
  }

  /** `take` is called once, when the commit that carries its rows starts: at the end of this turn, or a little later when busy. */
  add(take: () => Taken): void {
    this.addWithin(take, 0);
  }

  /**
   * Like `add`, for rows that may wait up to `withinMs` for their commit: any commit that
   * starts sooner carries them along. On a cheap SD card each commit can cost a whole erase
   * block, so a home at rest gathers a minute of such rows into one commit.
   */
  addWithin(take: () => Taken, withinMs: number): void {
    this.queue.push(take);
    this.commitWithin(withinMs);
  }

  /** What is queued now must start its commit within `withinMs`: for a writer whose take is queued already and must not wait as long. */
  commitWithin(withinMs: number): void {
    if (this.queue.length === 0) return;
    this.earliestDue = Math.min(this.earliestDue, performance.now() + withinMs);
    this.schedule();
  }

  /** Sets the next commit for the soonest queued write, after the busy spacing; never later than one set already. */
  private schedule(): void {
    if (this.retry || this.inFlight || this.queue.length === 0) return;
    const now = performance.now();
    const at = Math.max(this.earliestDue, this.lastRows >= BUSY_ROWS ? this.lastStarted + BUSY_SPACING_MS : 0);
    if (this.scheduled) {
      if (this.scheduled.at <= at) return;
      this.unschedule();
    }
    if (at - now < 1) {
      this.scheduled = { timer: setImmediate(() => this.flush()), immediate: true, at: now, due: now + BUSY_SPACING_MS };
      return;
    }
    const timer = setTimeout(() => this.flush(), at - now);
    // Shutdown commits what waits (close); a waiting commit alone keeps no process alive.
    timer.unref();
    this.scheduled = { timer, immediate: false, at, due: at };
  }

  /**
   * Commits now if the scheduled commit is overdue. Under a flood one turn of the event loop
   * reads thousands of sockets and may not reach its timers for seconds, so writers call this
   * as they queue: a commit is never later than its time because the loop is busy.
   */
  flushIfDue(): void {
    if (this.scheduled && performance.now() >= this.scheduled.due) this.flush();
  }

  /** Starts a commit of everything queued, unless one is under way (the next starts when it ends) or a retry waits. */
  flush(): void {
    this.unschedule();
    if (this.inFlight || this.retry || (this.queue.length === 0 && !this.carried)) return;
    // A failed commit goes again as it was, under its number; what queued meanwhile follows it.
    const commit = this.carried ?? this.takeQueued();
    this.carried = null;
    this.inFlight = commit;
    this.lastStarted = performance.now();
    this.answered = (answer) => this.settle(commit, answer);
    this.thread.postMessage({ ops: commit.ops, no: commit.no });
  }

  private takeQueued(): Commit {
    const commit: Commit = { no: ++this.lastCommitNo, ops: [], committed: [], rows: 0 };
    // What a take queues goes to the next commit, so a cap on rows per take holds.
    const queue = this.queue;
    this.queue = [];
    this.earliestDue = Infinity;
    for (const take of queue) {
      const { ops, committed } = take();
      for (const op of ops) {
        commit.ops.push(op);
        commit.rows += op.width === 0 ? 1 : op.params.length / op.width;
      }
      if (committed) commit.committed.push(committed);
    }
    return commit;
  }

  /** Something is queued, being committed or waiting to be retried. */
  get pending(): boolean {
    return this.queue.length > 0 || this.inFlight !== null || this.carried !== null;
  }

  /** Queues `ops` in order with everything else; resolves once they are committed. */
  write(ops: WriteOp[]): Promise<void> {
    return new Promise((resolve) => this.add(() => ({ ops, committed: resolve })));
  }

  /**
   * Like `write`, for a caller that must not wait through an outage (a request): resolves true
   * once committed, or false as soon as commits fail. The ops stay queued either way.
   */
  writeUnlessFailing(ops: WriteOp[]): Promise<boolean> {
    const written = this.write(ops);
    if (this.failing) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const failed = () => resolve(false);
      this.failureWaiters.push(failed);
      void written.then(() => {
        this.failureWaiters = this.failureWaiters.filter((f) => f !== failed);
        resolve(true);
      });
    });
  }

  /** `listener` is called each time commits start failing (after one succeeded). */
  onFailure(listener: () => void): void {
    this.failureListeners.add(listener);
  }

  /** The storage fault commits fail with now, as an error a request can be refused with (see isStorageFault). */
  faultError(): Error {
    return Object.assign(new Error(this.health.error ?? 'the database cannot be written'), { code: this.faultCode });
  }

  /** Queues one statement, run once with `params`, in order with everything else. */
  run(sql: string, ...params: unknown[]): void {
    const op = { sql, width: params.length, params };
    this.add(() => ({ ops: [op] }));
  }

  /**
   * Sets a pragma on the connection that writes, ahead of any commit not yet started (a
   * retried one included): a size limit, say, with `max_page_count`. One SQLite refuses is
   * logged, and the writer goes on without it.
   */
  pragma(text: string): void {
    this.thread.postMessage({ pragma: text });
  }

  /** Resolves once everything queued before it is committed. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.add(() => ({ ops: [], committed: resolve }));
      this.flush();
    });
  }

  /**
   * The last commit, at shutdown: what is under way is finished, and one more try is made
   * even while failing (changes still waiting on a failed disk are lost only if it fails again).
   */
  async close(): Promise<void> {
    this.stopRetrying();
    while (this.inFlight) await this.idle();
    this.stopRetrying();
    if (this.queue.length > 0 || this.carried) this.flush();
    while (this.inFlight) await this.idle();
    this.stopRetrying();
    this.unschedule();
    this.closing = true;
    this.thread.postMessage({ close: true });
    this.checkpointer?.postMessage({ close: true });
    await Promise.all([once(this.thread, 'exit'), this.checkpointer && once(this.checkpointer, 'exit')]);
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(commit: Commit, answer: CommitAnswer): void {
    this.answered = null;
    this.inFlight = null;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (!answer.ok) {
      this.carried = commit;
      this.failed(answer);
      return;
    }
    this.health.commits++;
    this.lastRows = commit.rows;
    this.watchLoad(commit.rows);
    if (this.consecutiveFailures > 0) this.recovered();
    for (const committed of commit.committed) committed();
    // What queued meanwhile for a commit now has waited a whole commit already.
    if (this.queue.length > 0 && this.earliestDue <= performance.now()) this.flush();
    else this.schedule();
  }

  /**
   * Starts the checkpointer once commits reach BUSY_ROWS_PER_SECOND, and sets how often it
   * copies the WAL back: seldom while the load is steady, so a page many commits rewrite is
   * copied once, and often in a flood, when a WAL of seconds would hold up the commits.
   */
  private watchLoad(rows: number): void {
    const now = performance.now();
    if (now - this.busyWindowStart > 1000) {
      if (this.checkpointer) this.setCheckpointCadence(this.busyRows >= FLOOD_ROWS_PER_SECOND ? CHECKPOINT_FLOOD_MS : CHECKPOINT_STEADY_MS);
      this.busyWindowStart = now;
      this.busyRows = 0;
    }
    this.busyRows += rows;
    if (!this.checkpointer && this.busyRows >= BUSY_ROWS_PER_SECOND) this.checkpointer = startCheckpointer(this.file, this.thread, CHECKPOINT_STEADY_MS);
  }

  private setCheckpointCadence(everyMs: number): void {
    if (everyMs === this.checkpointEveryMs) return;
    this.checkpointEveryMs = everyMs;
    this.checkpointer!.postMessage({ everyMs });
  }

  private unschedule(): void {
    if (!this.scheduled) return;
    if (this.scheduled.immediate) clearImmediate(this.scheduled.timer as NodeJS.Immediate);
    else clearTimeout(this.scheduled.timer as NodeJS.Timeout);
    this.scheduled = null;
  }

  private stopRetrying(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private failed(error: { code: string; message: string }): void {
    this.consecutiveFailures++;
    this.health.failedCommits++;
    this.health.ok = false;
    this.health.error = `${error.code}: ${error.message}`;
    this.faultCode = error.code;
    for (const resolve of this.failureWaiters.splice(0)) resolve();
    if (this.consecutiveFailures === 1) for (const listener of this.failureListeners) listener();
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(this.consecutiveFailures - 1, 16));
    if (this.consecutiveFailures === 1) {
      const log = isStorageFault(error) ? 'cannot write to the database; changes wait in memory and are retried' : 'a write was refused by the database; it is retried, and nothing after it is committed until it succeeds';
      this.log.error({ err: error, retryMs: delay }, log);
    }
    this.retry = setTimeout(() => {
      this.retry = null;
      this.flush();
    }, delay);
  }

  private recovered(): void {
    this.log.warn({ failedCommits: this.consecutiveFailures }, 'database writable again; waiting changes committed');
    this.consecutiveFailures = 0;
    this.health.ok = true;
    this.health.error = null;
  }
}
