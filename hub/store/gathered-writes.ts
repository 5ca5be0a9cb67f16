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
    /** How long rows are gathered under steady load, fewer than STEADY_MAX_ROWS: see HISTORY_STEADY_GATHER_MS. */
    private readonly steadyGatherMs = gatherMs,
  ) {}

  /** How long the rows gathered now wait: quiet, steady or flooded. */
  private waitFor(count: number): number {
    if (count < MAX_ROWS_PER_TAKE) return this.quietGatherMs;
    return count < STEADY_MAX_ROWS ? this.steadyGatherMs : this.gatherMs;
  }

  /**
   * Something was gathered: a take is queued for a commit once the oldest row has waited long
   * enough (see waitFor): `quietGatherMs` while fewer rows than a take holds are gathered,
   * `steadyGatherMs` while fewer than STEADY_MAX_ROWS are, `gatherMs` from then on. A commit
   * that starts sooner for other writes carries it along, and it hands over the rows that have
   * waited that long: a home at rest commits once a minute, not once for each kind of row.
   */
  wake(): void {
    const since = this.gathered.firstSince();
    if (since === null) return;
    const due = since + this.waitFor(this.gathered.count());
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
      // Busy, a take hands over the rows that have waited their time and those of the second after
      // (so the next is due a second later, not at once for the few rows that just came of
      // age), and leaves the rest to gather more of each device. Quiet, it takes them all:
      // rows left behind would set a commit of their own.
      const count = this.gathered.count();
      const ops = this.gathered.take(count >= MAX_ROWS_PER_TAKE ? performance.now() - this.waitFor(count) + TAKE_SPAN_MS : Infinity, MAX_ROWS_PER_TAKE);
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
 * How long history readings are gathered under steady load (fewer than STEADY_MAX_ROWS
 * gathered). A reading's cost to the disk was mostly its series' page of the series index,
 * written whole to the WAL and again at the checkpoint by every commit that touched it: a
 * sensor reporting every second now shares it with 30 of its readings instead of 5. At
 * 1,000 readings/s that index went from about 600 to 105 bytes written per reading (WAL and
 * checkpoint writes by page over 30 s of the write-budget load).
 */
export const HISTORY_STEADY_GATHER_MS = 30_000;
/**
 * Gathered rows from which a flood is assumed and rows wait GATHER_MS again: 30 s of 20,000
 * readings a second would hold 600,000 rows in memory and the journal's pruning back as long.
 */
const STEADY_MAX_ROWS = 50_000;
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
