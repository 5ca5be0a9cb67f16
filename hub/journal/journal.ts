import type { Db } from '../store/database.js';
import type { WriteBatch } from '../store/write-batch.js';
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
  private readonly statements;

  constructor(
    db: Db,
    private readonly batch: WriteBatch,
    private readonly options: JournalOptions,
    private readonly log: { error(obj: object, msg: string): void },
  ) {
    this.statements = {
      insert: db.prepare('INSERT INTO events (seq, at, body) VALUES (?, ?, ?)'),
      range: db.prepare<[number, number], JournalEntry>('SELECT seq, body AS text FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      prune: db.prepare('DELETE FROM events WHERE seq < ?'),
    };
    const sequence = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get();
    const first = db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM events').get();
    this.assigned = this.committed = sequence?.seq ?? 0;
    this.oldest = first?.seq ?? this.committed + 1;
  }

  /** Sequence number of the newest committed event (0 before any). */
  get lastSeq(): number {
    return this.committed;
  }

  /** Events refused because the storage failed for too long (see MAX_UNSAVED_EVENTS). */
  refused = 0;

  append(event: NewEvent): JournalEntry | null {
    if (this.pending.length >= MAX_UNSAVED_EVENTS && this.batch.failing) {
      this.refused++;
      return null;
    }
    const seq = ++this.assigned;
    const entry = { seq, text: JSON.stringify({ ...event, seq }) };
    if (this.pending.length === 0) this.batch.add(() => this.write(), () => this.publish());
    this.pending.push(entry);
    // Under a flood, commit in slices: memory stays bounded and clients hear of events
    // without waiting for a hundred-thousand-row transaction.
    if (this.pending.length >= MAX_BATCH) this.batch.flush();
    else this.batch.flushIfDue();
    return entry;
  }

  /** Commits what is pending now, so a snapshot or replay taken next is consistent with lastSeq. */
  settle(): void {
    this.batch.flush();
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

  /** Runs inside the batch transaction. */
  private write(): number {
    const now = Date.now();
    for (const e of this.pending) this.statements.insert.run(e.seq, now, e.text);
    const oldest = this.oldestKeptAfter(this.pending[this.pending.length - 1]!.seq);
    if (oldest !== this.oldest) this.statements.prune.run(oldest);
    return this.pending.length;
  }

  /**
   * The oldest event kept once `last` is committed: pruned in steps of a tenth, not on
   * every write. Applied only after the commit, so a write that fails and is retried prunes again.
   */
  private oldestKeptAfter(last: number): number {
    return last - this.oldest + 1 > this.options.retain * 1.1 ? last - this.options.retain + 1 : this.oldest;
  }

  private publish(): void {
    const entries = this.pending;
    this.pending = [];
    this.committed = entries[entries.length - 1]!.seq;
    this.oldest = this.oldestKeptAfter(this.committed);
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
  }
}
