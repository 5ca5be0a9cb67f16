import type { Db } from './database.js';

interface Write {
  /** Returns how many rows it wrote, so the batch knows how busy the hub is. */
  write: () => number | void;
  afterCommit?: () => void;
}

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
 * Group commit: writes queued during one turn of the event loop (a few milliseconds when
 * busy) go to SQLite in one transaction, and only after the commit is anybody told. So what
 * a client has seen is always on disk.
 */
export class WriteBatch {
  private queue: Write[] = [];
  private scheduled: { timer: NodeJS.Immediate | NodeJS.Timeout; immediate: boolean } | null = null;
  private lastStarted = 0;
  private lastRows = 0;

  constructor(private readonly db: Db) {}

  add(write: () => number | void, afterCommit?: () => void): void {
    this.queue.push(afterCommit ? { write, afterCommit } : { write });
    if (this.scheduled) return;
    const wait = this.lastRows >= BUSY_ROWS ? this.lastStarted + BUSY_SPACING_MS - performance.now() : 0;
    this.scheduled =
      wait >= 1 ? { timer: setTimeout(() => this.flush(), wait), immediate: false } : { timer: setImmediate(() => this.flush()), immediate: true };
  }

  flush(): void {
    if (this.scheduled) {
      if (this.scheduled.immediate) clearImmediate(this.scheduled.timer as NodeJS.Immediate);
      else clearTimeout(this.scheduled.timer as NodeJS.Timeout);
    }
    this.scheduled = null;
    if (this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    this.lastStarted = performance.now();
    let rows = 0;
    this.db.transaction(() => {
      for (const w of writes) rows += w.write() ?? 1;
    })();
    this.lastRows = rows;
    for (const w of writes) w.afterCommit?.();
  }
}
