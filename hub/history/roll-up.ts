import type { Db } from '../store/database.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Retention {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

/**
 * Raw rows one slice summarises at most. Summarising a minute of 10,000 sensors at one
 * reading a second in one statement holds the event loop for about a second; in slices of
 * this size each step takes about 20 ms, and readings keep flowing between them.
 */
const SLICE_ROWS = 5000;

const merge = (table: string) => `ON CONFLICT (device_id, property, bucket) DO UPDATE SET
  avg = (${table}.avg * ${table}.count + excluded.avg * excluded.count) / (${table}.count + excluded.count),
  min = min(${table}.min, excluded.min), max = max(${table}.max, excluded.max), count = ${table}.count + excluded.count`;

export const floor = (at: number, step: number) => Math.floor(at / step) * step;

/**
 * A minute is summarised only this long after it ends: readings from its last moments may
 * still be on their way to disk in the writer thread's commit.
 */
const SETTLE_MS = 2000;

/**
 * Minute and hour summaries of the raw history, made a slice at a time, then its pruning.
 * Minutes are summed slice by slice (merged into the minute's row), hours from complete
 * minutes; the progress is committed with each slice, so a restart neither skips nor counts
 * twice.
 */
export class RollUp {
  /** Minutes before this are summarised, and their hours too. */
  rolledMinute: number;
  private minutesTo: number;
  private job: { end: number; phase: 'minutes' | 'prune' } | null = null;
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly retention: Retention,
    private readonly now: () => number,
  ) {
    this.q = {
      boundary: db.prepare<[number, number], { at: number }>('SELECT at FROM history WHERE at >= ? ORDER BY at LIMIT 1 OFFSET ?'),
      minutes: db.prepare(
        `INSERT INTO history_minute (device_id, property, bucket, avg, min, max, count)
         SELECT device_id, property, at / ${MINUTE} * ${MINUTE}, avg(value), min(value), max(value), count(*)
         FROM history WHERE at >= ? AND at < ? GROUP BY device_id, property, at / ${MINUTE} ${merge('history_minute')}`,
      ),
      hours: db.prepare(
        `INSERT INTO history_hour (device_id, property, bucket, avg, min, max, count)
         SELECT device_id, property, bucket / ${HOUR} * ${HOUR}, sum(avg * count) / sum(count), min(min), max(max), sum(count)
         FROM history_minute WHERE bucket >= ? AND bucket < ? GROUP BY device_id, property, bucket / ${HOUR} ${merge('history_hour')}`,
      ),
      progress: db.prepare<[], { minutes_to: number; rolled_minute: number }>('SELECT minutes_to, rolled_minute FROM history_rollup WHERE id = 1'),
      save: db.prepare(
        'INSERT INTO history_rollup (id, minutes_to, rolled_minute) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET minutes_to = excluded.minutes_to, rolled_minute = excluded.rolled_minute',
      ),
      lastMinute: db.prepare<[], { bucket: number | null }>('SELECT max(bucket) AS bucket FROM history_minute'),
      // Pruning stays one statement per run: deleting in time-ordered slices touches a page of
      // the series index per row and costs about eight times as much in all (measured).
      pruneRaw: db.prepare('DELETE FROM history WHERE at < ?'),
      pruneMinute: db.prepare('DELETE FROM history_minute WHERE bucket < ?'),
      pruneHour: db.prepare('DELETE FROM history_hour WHERE bucket < ?'),
    };
    const saved = this.q.progress.get();
    // Databases from before the progress was kept: their summaries end at the newest minute.
    const last = this.q.lastMinute.get()?.bucket;
    this.rolledMinute = saved?.rolled_minute ?? (last != null ? last + MINUTE : floor(this.now() - DAY, MINUTE));
    this.minutesTo = saved?.minutes_to ?? this.rolledMinute;
  }

  /** Does one slice of work, starting a run when minutes have completed; true while more remains. */
  step(): boolean {
    if (!this.job) {
      const end = floor(this.now() - SETTLE_MS, MINUTE);
      if (end <= this.rolledMinute) return false;
      this.job = { end, phase: 'minutes' };
    }
    if (this.job.phase === 'minutes') {
      this.minuteSlice(this.job.end);
      return true;
    }
    this.prune();
    this.job = null;
    return false;
  }

  /** Abandons the run in progress (e.g. the database refused a write); the next starts where it stopped. */
  abandon(): void {
    this.job = null;
    const saved = this.q.progress.get();
    if (saved) [this.minutesTo, this.rolledMinute] = [saved.minutes_to, saved.rolled_minute];
  }

  private minuteSlice(end: number): void {
    const boundary = this.q.boundary.get(this.minutesTo, SLICE_ROWS)?.at;
    // Many rows in one millisecond: still move on.
    const to = boundary === undefined || boundary >= end ? end : Math.max(boundary, this.minutesTo + 1);
    const done = to === end;
    this.db.transaction(() => {
      this.q.minutes.run(this.minutesTo, to);
      if (done) this.q.hours.run(this.rolledMinute, end);
      this.q.save.run(to, done ? end : this.rolledMinute);
    })();
    this.minutesTo = to;
    if (done) {
      this.rolledMinute = end;
      this.job!.phase = 'prune';
    }
  }

  private prune(): void {
    const now = this.now();
    const { rawDays, minuteDays, hourDays } = this.retention;
    this.db.transaction(() => {
      this.q.pruneRaw.run(now - rawDays * DAY);
      this.q.pruneMinute.run(now - minuteDays * DAY);
      this.q.pruneHour.run(now - hourDays * DAY);
    })();
  }
}
