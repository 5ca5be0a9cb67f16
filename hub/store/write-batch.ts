import type { Db } from './database.js';

interface Write {
  /** Returns how many rows it wrote, so the batch knows how busy the hub is. */
  write: () => number | void;
  afterCommit?: () => void;
}

export interface StorageHealth {
  /** False while commits fail (disk full, database locked by another process, I/O error). */
  ok: boolean;
  error: string | null;
  failedCommits: number;
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

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Group commit: writes queued during one turn of the event loop (a few milliseconds when
 * busy) go to SQLite in one transaction, and only after the commit is anybody told. So what
 * a client has seen is always on disk.
 *
 * When the storage fails, the transaction rolls back and its writes stay queued, in order,
 * and are retried with back-off: nothing is lost or told early, and the hub keeps running.
 * Writers keep their data until `afterCommit`, so a retried write writes it again.
 */
export class WriteBatch {
  private queue: Write[] = [];
  private scheduled: { timer: NodeJS.Immediate | NodeJS.Timeout; immediate: boolean; due: number } | null = null;
  private lastStarted = 0;
  private lastRows = 0;
  private retry: NodeJS.Timeout | null = null;
  private consecutiveFailures = 0;
  readonly health: StorageHealth = { ok: true, error: null, failedCommits: 0 };

  constructor(
    private readonly db: Db,
    private readonly log: StorageLogger = { error() {}, warn() {} },
  ) {}

  /** True while commits fail and writes wait in memory for the retry. */
  get failing(): boolean {
    return this.retry !== null;
  }

  add(write: () => number | void, afterCommit?: () => void): void {
    this.queue.push(afterCommit ? { write, afterCommit } : { write });
    if (this.scheduled || this.retry) return;
    const now = performance.now();
    const wait = this.lastRows >= BUSY_ROWS ? this.lastStarted + BUSY_SPACING_MS - now : 0;
    this.scheduled =
      wait >= 1
        ? { timer: setTimeout(() => this.flush(), wait), immediate: false, due: now + wait }
        : { timer: setImmediate(() => this.flush()), immediate: true, due: now + BUSY_SPACING_MS };
  }

  /**
   * Commits now if the scheduled commit is overdue. Under a flood one turn of the event loop
   * reads thousands of sockets and may not reach its timers for seconds, so writers call this
   * as they queue: a commit is never later than its time because the loop is busy.
   */
  flushIfDue(): void {
    if (this.scheduled && performance.now() >= this.scheduled.due) this.flush();
  }

  /** Commits now; while the storage is failing, leaves it to the retry (a failing try may block). */
  flush(): void {
    if (this.scheduled) {
      if (this.scheduled.immediate) clearImmediate(this.scheduled.timer as NodeJS.Immediate);
      else clearTimeout(this.scheduled.timer as NodeJS.Timeout);
    }
    this.scheduled = null;
    if (this.retry || this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    this.lastStarted = performance.now();
    let rows = 0;
    try {
      this.db.transaction(() => {
        for (const w of writes) rows += w.write() ?? 1;
      })();
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      this.queue = writes.concat(this.queue);
      this.failed(error as Error);
      return;
    }
    this.lastRows = rows;
    if (this.consecutiveFailures > 0) this.recovered();
    for (const w of writes) w.afterCommit?.();
  }

  /**
   * The last commit, at shutdown: one more try even while failing (changes still waiting
   * on a failed disk are lost only if it fails again), and no retry left behind.
   */
  close(): void {
    this.stopRetrying();
    this.flush();
    this.stopRetrying();
  }

  private stopRetrying(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private failed(error: Error): void {
    this.consecutiveFailures++;
    this.health.failedCommits++;
    this.health.ok = false;
    this.health.error = `${(error as { code?: string }).code}: ${error.message}`;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(this.consecutiveFailures - 1, 16));
    if (this.consecutiveFailures === 1) {
      this.log.error({ err: error, retryMs: delay }, 'cannot write to the database; changes wait in memory and are retried');
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
