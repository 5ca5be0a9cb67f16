import type { Db } from './database.js';

interface Write {
  write: () => void;
  afterCommit?: () => void;
}

/**
 * Group commit: writes queued during one turn of the event loop go to SQLite in one
 * transaction (a single-row transaction costs as much as a thousand-row one), and only
 * after the commit is anybody told. So what a client has seen is always on disk.
 */
export class WriteBatch {
  private queue: Write[] = [];
  private scheduled: NodeJS.Immediate | null = null;

  constructor(private readonly db: Db) {}

  add(write: () => void, afterCommit?: () => void): void {
    this.queue.push(afterCommit ? { write, afterCommit } : { write });
    this.scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    this.db.transaction(() => {
      for (const w of writes) w.write();
    })();
    for (const w of writes) w.afterCommit?.();
  }
}
