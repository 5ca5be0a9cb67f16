import type { Db } from '../store/database.js';
import type { Taken, WriteBatch } from '../store/write-batch.js';
import type { JournalMessage } from '../protocol/messages.js';

/** One journalled event: its sequence number and its message, serialised once for every client. */
export interface JournalEntry {
  seq: number;
  text: string;
}

export interface JournalOptions {
  /** Events kept for resuming clients; older ones are pruned. */
  retain: number;
  /** Most recent events also kept in memory, so most resumes never touch the disk. */
  inMemory: number;
}

/** Events committed together at most; a slice this size still costs about one transaction's overhead. */
const MAX_BATCH = 2000;
/**
 * While the disk refuses writes, events wait in memory up to this many (some tens of MB);
 * past it new events are refused and counted, so a long outage cannot exhaust memory.
 */
export const MAX_UNSAVED_EVENTS = 100_000;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewEvent = DistributiveOmit<JournalMessage, 'seq'>;

/**
 * The one ordered stream of events every client follows. Sequence numbers increase by one
 * per event and are never reused, also across restarts. Listeners hear an event only after
 * it is committed, so a client never sees an event that a crash could take back.
 */
export class Journal {
  private assigned: number;
  private committed: number;
  private oldest: number;
  private pending: JournalEntry[] = [];
  private recent: JournalEntry[] = [];
  private readonly listeners = new Set<(entries: readonly JournalEntry[]) => void>();
  /** Callers waiting until a sequence number is committed, in order. */
  private waiting: { seq: number; resolve: () => void; unlessFailing?: boolean }[] = [];
  private readonly statements;

  constructor(
    db: Db,
    private readonly batch: WriteBatch,
    private readonly options: JournalOptions,
    private readonly log: { error(obj: object, msg: string): void },
  ) {
    this.statements = {
      range: db.prepare<[number, number], JournalEntry>('SELECT seq, body AS text FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    };
    const sequence = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get();
    const first = db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM events').get();
    this.assigned = this.committed = sequence?.seq ?? 0;
    this.oldest = first?.seq ?? this.committed + 1;
    batch.onFailure(() => {
      for (const waiter of this.waiting) if (waiter.unlessFailing) waiter.resolve();
    });
  }

  /** Sequence number of the newest committed event (0 before any). */
  get lastSeq(): number {
    return this.committed;
  }

  /** Sequence number of the newest event, committed or not: what the registry's state already includes. */
  get lastAssigned(): number {
    return this.assigned;
  }

  /** True while events wait for a storage that refuses writes. */
  get storageFailing(): boolean {
    return this.batch.failing;
  }

  /**
   * Resolves once `seq` is committed, or at once when commits fail (already, or while
   * waiting): for a caller that must not wait out a storage outage.
   */
  committedUnlessFailing(seq: number): Promise<void> {
    if (seq <= this.committed || this.batch.failing) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ seq, resolve, unlessFailing: true }));
  }

  /** Resolves once `seq` is committed. */
  committedThrough(seq: number): Promise<void> {
    if (seq <= this.committed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ seq, resolve }));
  }

  /** Events refused because the storage failed for too long (see MAX_UNSAVED_EVENTS). */
  refused = 0;

  /**
   * Numbers `event` and queues it. The event is the journal's from here on: its number is
   * set on it in place, since copying every event to add one field cost twice the JSON of it.
   */
  append(event: NewEvent): JournalEntry | null {
    if (this.pending.length >= MAX_UNSAVED_EVENTS && this.batch.failing) {
      this.refused++;
      return null;
    }
    const seq = ++this.assigned;
    (event as JournalMessage).seq = seq;
    const entry = { seq, text: JSON.stringify(event) };
    if (this.pending.length === 0) this.batch.add(() => this.take());
    this.pending.push(entry);
    // Under a flood, commit in slices: memory stays bounded and clients hear of events
    // without waiting for a hundred-thousand-row transaction.
    if (this.pending.length >= MAX_BATCH) this.batch.flush();
    else this.batch.flushIfDue();
    return entry;
  }

  /**
   * Events after `seq`, oldest first, at most `limit`; null when some of them were already
   * pruned (the caller must start over from a snapshot).
   */
  readSince(seq: number, limit = Number.MAX_SAFE_INTEGER): JournalEntry[] | null {
    if (seq > this.committed || seq < this.oldest - 1) return null;
    const firstInMemory = this.recent[0]?.seq ?? Infinity;
    if (seq + 1 >= firstInMemory) {
      const start = seq + 1 - firstInMemory;
      return this.recent.slice(start, start + limit);
    }
    return this.statements.range.all(seq, Math.min(limit, this.committed - seq));
  }

  /**
   * `listener` hears each committed batch at once, oldest first: a client gets a whole turn's
   * events in one socket write instead of one write (and one system call) per event.
   */
  subscribe(listener: (entries: readonly JournalEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands the pending events to the commit starting now. */
  private take(): Taken {
    const entries = this.pending;
    this.pending = [];
    const now = Date.now();
    const params: unknown[] = [];
    for (const e of entries) params.push(e.seq, now, e.text);
    const ops = [{ sql: 'INSERT INTO events (seq, at, body) VALUES (?, ?, ?)', width: 3, params }];
    const oldest = this.oldestKeptAfter(entries[entries.length - 1]!.seq);
    if (oldest !== this.oldest) ops.push({ sql: 'DELETE FROM events WHERE seq < ?', width: 1, params: [oldest] });
    return { ops, committed: () => this.publish(entries, oldest) };
  }

  /**
   * `firstNeeded` gives the oldest event something not yet written still depends on (history
   * readings and states gathered in memory: see store/gathered-writes.ts), or null; no event
   * from there on is pruned, so a crash loses none of them.
   */
  keepFrom(firstNeeded: () => number | null): void {
    this.keepers.push(firstNeeded);
  }

  private readonly keepers: (() => number | null)[] = [];

  private firstNeeded(): number {
    let first = Infinity;
    for (const keeper of this.keepers) first = Math.min(first, keeper() ?? Infinity);
    return first;
  }

  /**
   * The oldest event kept once `last` is committed: pruned in steps of a tenth, not on
   * every write. Applied only after the commit, so a write that fails and is retried prunes again.
   */
  private oldestKeptAfter(last: number): number {
    const byCount = last - this.oldest + 1 > this.options.retain * 1.1 ? last - this.options.retain + 1 : this.oldest;
    return Math.max(this.oldest, Math.min(byCount, this.firstNeeded()));
  }

  private publish(entries: JournalEntry[], oldest: number): void {
    this.committed = entries[entries.length - 1]!.seq;
    this.oldest = oldest;
    // One at a time: spreading a batch of a hundred thousand entries would overflow the stack.
    for (const entry of entries) this.recent.push(entry);
    if (this.recent.length > this.options.inMemory * 2) this.recent.splice(0, this.recent.length - this.options.inMemory);
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch (error) {
        this.log.error({ err: error, seq: entries[0]!.seq }, 'journal listener failed');
      }
    }
    while (this.waiting.length > 0 && this.waiting[0]!.seq <= this.committed) this.waiting.shift()!.resolve();
  }
}
