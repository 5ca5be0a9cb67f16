import type { WriteBatch, WriteOp } from './write-batch.js';

/** What is gathered: rows kept in memory a few seconds, so many changes of one row go to disk once. */
export interface Gathered {
  /** When the oldest gathered row came (performance.now()), or null when none is. */
  firstSince(): number | null;
  /** How many rows are gathered now. */
  count(): number;
  /**
   * As ops: the rows whose oldest change came at or before `cutoff`, oldest first, stopping
   * once about `maxRows` are out (all of them for Infinity and Infinity).
   */
  take(cutoff: number, maxRows: number): WriteOp[];
}

/**
 * Hands gathered rows to the write batch once the oldest has waited long enough. Rows written
 * this way are not in the commit of their journal event: the journal keeps those events (see
 * Journal.keepFrom) and the owner replays them after a crash.
 */
export class GatheredWrites {
  /** When the queued take's commit is due at the latest (performance.now()). */
  private due = Infinity;
  /** Bumped by `reorder`: a take queued before it takes nothing. */
  private generation = 0;
  private queued = false;

  constructor(
    private readonly batch: WriteBatch,
    private readonly gathered: Gathered,
    private readonly gatherMs: number,
    /** How long a few rows are gathered (fewer than a take holds): see QUIET_GATHER_MS. */
    private readonly quietGatherMs = gatherMs,
  ) {}

  /**
   * Something was gathered: a take is queued for a commit once the oldest row has waited long
   * enough, `quietGatherMs` while fewer rows than a take holds are gathered, `gatherMs` from
   * then on. A commit that starts sooner for other writes carries it along, and it hands over
   * the rows gathered for `gatherMs` or more: a home at rest commits once a minute, not once
   * for each kind of row.
   */
  wake(): void {
    const since = this.gathered.firstSince();
    if (since === null) return;
    const due = since + (this.gathered.count() >= MAX_ROWS_PER_TAKE ? this.gatherMs : this.quietGatherMs);
    if (this.queued) {
      // Busy now: the take already queued must not wait for the quiet time.
      if (due < this.due) {
        this.due = due;
        this.batch.commitWithin(Math.max(0, due - performance.now()));
      }
      return;
    }
    this.due = due;
    this.queued = true;
    const generation = this.generation;
    this.batch.addWithin(() => {
      if (generation !== this.generation) return { ops: [] };
      this.queued = false;
      this.due = Infinity;
      // Busy, a take hands over the rows gathered for `gatherMs` and those of the second after
      // (so the next is due a second later, not at once for the few rows that just came of
      // age), and leaves the rest to gather more of each device. Quiet, it takes them all:
      // rows left behind would set a commit of their own.
      const busy = this.gathered.count() >= MAX_ROWS_PER_TAKE;
      const ops = this.gathered.take(busy ? performance.now() - this.gatherMs + TAKE_SPAN_MS : Infinity, MAX_ROWS_PER_TAKE);
      // Queued from within a take, the next take goes to the next commit (see WriteBatch).
      this.wake();
      return { ops };
    }, Math.max(0, due - performance.now()));
  }

  /**
   * Call after queueing writes that rows gathered from now on must follow (a device's removal):
   * a take already queued would run before them, so it takes nothing and a new one is queued.
   */
  reorder(): void {
    if (!this.queued) return;
    this.generation++;
    this.queued = false;
    this.due = Infinity;
    this.wake();
  }

  /** Writes everything gathered now (at shutdown); resolves once committed. */
  flush(): Promise<void> {
    this.due = Infinity;
    this.generation++;
    this.queued = false;
    return this.batch.write(this.gathered.take(Infinity, Infinity));
  }
}

/** How long rows are gathered before they are written. */
export const GATHER_MS = 5000;
/**
 * How long rows are gathered while few are (a home at rest): each take is a commit that
 * writes every page it touches to the WAL whole. With the demo home idle, gathering for a
 * minute instead of 5 s took the hub from 72 to 47 MiB written an hour (/proc/<pid>/io).
 * Nothing waits on it: the journal holds the events meanwhile, a crash replays them, and a
 * chart writes its series first.
 */
export const QUIET_GATHER_MS = 60_000;
/**
 * Rows one take hands over at most: a burst is written over several commits, not in one long
 * one. Every event in the same commit waits for the take: 5,000 rows held a commit for up
 * to 45 ms at 20,000 readings/s, 1,000 for up to 19 ms (p99 publish to dashboard through
 * Mosquitto 100 ms against 43 ms).
 */
const MAX_ROWS_PER_TAKE = 1000;
/**
 * The span of rows a busy take hands over beyond those due. Taking only the rows just due,
 * 1,000 readings a second made 140 commits a second of a few rows each, and the hub wrote
 * 55 times the bytes it stored (the write-budget bench).
 */
const TAKE_SPAN_MS = 1000;
