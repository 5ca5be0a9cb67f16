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
  /**
   * How long device reports (state events) may wait for their commit; 0 commits each before
   * anyone hears of it. See `isReport`.
   */
  reportCommitMs: number;
}

/** Events committed together at most; a slice this size still costs about one transaction's overhead. */
const MAX_BATCH = 2000;
/**
 * While the disk refuses writes, events wait in memory up to this many (some tens of MB);
 * past it new events are refused and counted, so a long outage cannot exhaust memory.
 */
export const MAX_UNSAVED_EVENTS = 100_000;
/**
 * Sequence numbers reserved on disk ahead of use. A report is heard before its commit, and a
 * crash loses it with its number; the next start goes on past the reservation, so no number
 * a client saw is ever given to another event. A new block is reserved with any commit once
 * half of the last one is used.
 */
const RESERVED_NUMBERS = 10_000;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewEvent = DistributiveOmit<JournalMessage, 'seq'>;

/**
 * A device's report (a reading, a state it changed by itself or after a command): the hub's
 * most frequent event, heard at once and committed within `reportCommitMs` with whatever
 * else is written. Everything else (commands, devices added or removed, availability, rooms,
 * automations) is committed before anyone hears of it.
 */
const isReport = (event: NewEvent): boolean => event.type === 'state';

interface PendingEntry extends JournalEntry {
  /** Heard only once committed. */
  held: boolean;
}

/**
 * The one ordered stream of events every client follows. Sequence numbers increase by one
 * per event and are never reused, also across restarts or a crash.
 *
 * Listeners hear events in order. A device report is heard at the end of the turn it came in
 * and committed within `reportCommitMs` (a crash may take back what was heard in that time;
 * a client that saw it resumes from a fresh snapshot). Any other event is heard only once
 * committed, and so is every report queued behind it.
 */
export class Journal {
  private assigned: number;
  private committed: number;
  /** The newest event listeners have heard. */
  private heard: number;
  /** Numbers up to here (exclusive) may be heard before their commit: they are reserved on disk. */
  private reservedUpTo: number;
  private oldest: number;
  /** Events not yet committed, oldest first; `taking` the ones in the commit under way. */
  private pending: PendingEntry[] = [];
  private taking: PendingEntry[] = [];
  private queued = false;
  private hearing: NodeJS.Immediate | null = null;
  private recent: JournalEntry[] = [];
  private readonly listeners = new Set<(entries: readonly JournalEntry[]) => void>();
  /** Callers waiting until a sequence number is committed (or heard), in order. */
  private waiting: { seq: number; resolve: () => void; unlessFailing?: boolean }[] = [];
  private hearingWaiters: { seq: number; resolve: () => void }[] = [];
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
    // The reservation survives a crash; after a clean stop it is the last event's number.
    const sequence = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get();
    const first = db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM events').get();
    this.assigned = this.committed = this.heard = this.reservedUpTo = sequence?.seq ?? 0;
    this.oldest = first?.seq ?? this.committed + 1;
    batch.onFailure(() => {
      for (const waiter of this.waiting) if (waiter.unlessFailing) waiter.resolve();
    });
  }

  /** Sequence number of the newest event clients may have heard (0 before any). */
  get lastSeq(): number {
    return this.heard;
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
   * waiting): for a caller that must not wait out a storage outage. A caller waits for a
   * reason (a device's PUBACK), so the commit starts now rather than within reportCommitMs.
   */
  committedUnlessFailing(seq: number): Promise<void> {
    if (seq <= this.committed || this.batch.failing) return Promise.resolve();
    this.batch.commitWithin(0);
    return new Promise((resolve) => this.waiting.push({ seq, resolve, unlessFailing: true }));
  }

  /** Resolves once listeners have heard `seq`. */
  heardThrough(seq: number): Promise<void> {
    if (seq <= this.heard) return Promise.resolve();
    return new Promise((resolve) => this.hearingWaiters.push({ seq, resolve }));
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
    const report = this.options.reportCommitMs > 0 && isReport(event);
    const entry: PendingEntry = { seq, text: JSON.stringify(event), held: !report };
    this.pending.push(entry);
    // A report past the reservation waits for the commit that makes the next one.
    const withinMs = !report || seq >= this.reservedUpTo ? 0 : this.options.reportCommitMs;
    if (this.queued) this.batch.commitWithin(withinMs);
    else {
      this.queued = true;
      this.batch.addWithin(() => this.take(), withinMs);
    }
    if (report && !this.hearing) this.hearing = setImmediate(() => this.hearReports());
    // Under a flood, commit in slices: memory stays bounded and the commits stay short.
    if (this.pending.length >= MAX_BATCH) this.batch.flush();
    else this.batch.flushIfDue();
    return entry;
  }

  /**
   * Events after `seq`, oldest first, at most `limit`; null when the client must start over
   * from a snapshot: some of them were pruned, or it saw events a crash took back (the
   * numbers after `seq` then go on past a gap).
   */
  readSince(seq: number, limit = Number.MAX_SAFE_INTEGER): JournalEntry[] | null {
    if (seq > this.heard || seq < this.oldest - 1) return null;
    if (seq === this.heard) return [];
    const firstInMemory = this.recent[0]?.seq ?? Infinity;
    if (seq + 1 >= firstInMemory) {
      const start = seq + 1 - firstInMemory;
      return this.recent.slice(start, start + limit);
    }
    // The disk has the events up to the last commit; memory has every one heard since.
    const entries = this.statements.range.all(seq, Math.min(limit, this.committed - seq));
    if (entries[0]?.seq !== seq + 1) return null;
    const next = entries.at(-1)!.seq + 1;
    if (entries.length >= limit || next > this.heard) return entries;
    const start = next - firstInMemory;
    for (const entry of this.recent.slice(start, start + limit - entries.length)) entries.push(entry);
    return entries;
  }

  /**
   * `listener` hears each committed batch at once, oldest first: a client gets a whole turn's
   * events in one socket write instead of one write (and one system call) per event.
   */
  subscribe(listener: (entries: readonly JournalEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Commits what waits (a report heard already included) and sets the sequence back to the
   * last event's number, so a clean restart leaves no gap; resolves once committed.
   */
  async close(): Promise<void> {
    await this.batch.writeUnlessFailing([{ sql: "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM events) WHERE name = 'events'", width: 0, params: [] }]);
  }

  /**
   * Hands the pending events to the commit starting now, with a new reservation when due.
   * Queued once per commit, by the event that found none queued: there is always one.
   */
  private take(): Taken {
    this.queued = false;
    const entries = this.pending;
    this.pending = [];
    this.taking = entries;
    const now = Date.now();
    const params: unknown[] = [];
    for (const e of entries) params.push(e.seq, now, e.text);
    const ops = [{ sql: 'INSERT INTO events (seq, at, body) VALUES (?, ?, ?)', width: 3, params }];
    const last = entries[entries.length - 1]!.seq;
    const reserve = last + RESERVED_NUMBERS / 2 > this.reservedUpTo ? last + RESERVED_NUMBERS : null;
    if (reserve !== null) ops.push({ sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'", width: 1, params: [reserve] });
    const oldest = this.oldestKeptAfter(last);
    if (oldest !== this.oldest) ops.push({ sql: 'DELETE FROM events WHERE seq < ?', width: 1, params: [oldest] });
    return { ops, committed: () => this.settle(entries, oldest, reserve) };
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

  private settle(entries: PendingEntry[], oldest: number, reserved: number | null): void {
    this.committed = entries[entries.length - 1]!.seq;
    this.oldest = oldest;
    if (reserved !== null) this.reservedUpTo = Math.max(this.reservedUpTo, reserved);
    if (this.taking === entries) this.taking = [];
    this.hear(entries.filter((e) => e.seq > this.heard));
    this.hearReports();
    while (this.waiting.length > 0 && this.waiting[0]!.seq <= this.committed) this.waiting.shift()!.resolve();
  }

  /**
   * Listeners hear the reports queued since the last turn, up to the first event that must
   * be committed first (or one past the reservation).
   */
  private hearReports(): void {
    this.hearing = null;
    const heard: JournalEntry[] = [];
    for (const entries of [this.taking, this.pending]) {
      for (const entry of entries) {
        if (entry.seq <= this.heard) continue;
        if (entry.held || entry.seq >= this.reservedUpTo) return this.hear(heard);
        heard.push(entry);
      }
    }
    this.hear(heard);
  }

  private hear(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    this.heard = entries[entries.length - 1]!.seq;
    // One at a time: spreading a batch of a hundred thousand entries would overflow the stack.
    for (const entry of entries) this.recent.push(entry);
    this.trimRecent();
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch (error) {
        this.log.error({ err: error, seq: entries[0]!.seq }, 'journal listener failed');
      }
    }
    while (this.hearingWaiters.length > 0 && this.hearingWaiters[0]!.seq <= this.heard) this.hearingWaiters.shift()!.resolve();
  }

  /** Keeps `inMemory` events, and every one heard but not yet committed (the disk cannot serve those). */
  private trimRecent(): void {
    if (this.recent.length <= this.options.inMemory * 2) return;
    let cut = this.recent.length - this.options.inMemory;
    while (cut > 0 && this.recent[cut - 1]!.seq > this.committed) cut--;
    this.recent.splice(0, cut);
  }
}
