import type { Db } from '../store/database.js';
import type { WriteBatch, WriteOp } from '../store/write-batch.js';

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
 * reading a second in one statement holds the writer for over a second, and every commit
 * behind it waits. Measured on that minute: slices of 5,000 rows took 12 ms each (up to
 * 19 ms), slices of 1,000 rows 2 ms (up to 10 to 18 ms), about 1.4 s in all either way.
 */
const SLICE_ROWS = 1000;

const merge = (table: string) => `ON CONFLICT (device_id, property, bucket) DO UPDATE SET
  avg = (${table}.avg * ${table}.count + excluded.avg * excluded.count) / (${table}.count + excluded.count),
  min = min(${table}.min, excluded.min), max = max(${table}.max, excluded.max), count = ${table}.count + excluded.count`;

export const floor = (at: number, step: number) => Math.floor(at / step) * step;

/**
 * A minute is summarised only this long after it ends: readings from its last moments may
 * still be on their way to disk in the writer thread's commit.
 */
const SETTLE_MS = 2000;

const MINUTES_SQL = `INSERT INTO history_minute (device_id, property, bucket, avg, min, max, count)
  SELECT device_id, property, at / ${MINUTE} * ${MINUTE}, avg(value), min(value), max(value), count(*)
  FROM history WHERE at >= ? AND at < ? GROUP BY device_id, property, at / ${MINUTE} ${merge('history_minute')}`;
const HOURS_SQL = `INSERT INTO history_hour (device_id, property, bucket, avg, min, max, count)
  SELECT device_id, property, bucket / ${HOUR} * ${HOUR}, sum(avg * count) / sum(count), min(min), max(max), sum(count)
  FROM history_minute WHERE bucket >= ? AND bucket < ? GROUP BY device_id, property, bucket / ${HOUR} ${merge('history_hour')}`;
const SAVE_SQL =
  'INSERT INTO history_rollup (id, minutes_to, rolled_minute) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET minutes_to = excluded.minutes_to, rolled_minute = excluded.rolled_minute';

/**
 * Minute and hour summaries of the raw history, made a slice at a time, then its pruning.
 * Minutes are summed slice by slice (merged into the minute's row), hours from complete
 * minutes; the progress is committed with each slice, so a restart neither skips nor counts
 * twice. The writes go through the write batch like every other, so they never wait for the
 * writer's lock on the event loop, and a slice the disk refuses is retried in order with the rest.
 */
export class RollUp {
  /** Minutes before this are summarised, and their hours too. */
  rolledMinute: number;
  private minutesTo: number;
  private job: { end: number; phase: 'minutes' | 'prune' } | null = null;
  private readonly boundary;

  constructor(
    db: Db,
    private readonly batch: WriteBatch,
    private readonly retention: Retention,
    private readonly now: () => number,
    /** Time of the oldest reading not written yet (Infinity: none); its minute waits for it. */
    private readonly unwrittenSince: () => number = () => Infinity,
  ) {
    this.boundary = db.prepare<[number, number], { at: number }>('SELECT at FROM history WHERE at >= ? ORDER BY at LIMIT 1 OFFSET ?');
    const saved = db.prepare<[], { minutes_to: number; rolled_minute: number }>('SELECT minutes_to, rolled_minute FROM history_rollup WHERE id = 1').get();
    // Databases from before the progress was kept: their summaries end at the newest minute.
    const last = db.prepare<[], { bucket: number | null }>('SELECT max(bucket) AS bucket FROM history_minute').get()?.bucket;
    this.rolledMinute = saved?.rolled_minute ?? (last != null ? last + MINUTE : floor(this.now() - DAY, MINUTE));
    this.minutesTo = saved?.minutes_to ?? this.rolledMinute;
  }

  /**
   * Does one slice of work, starting a run when minutes have completed, and resolves once it
   * is committed: true while more remains. One step at a time: each starts where the last one's
   * commit left off.
   */
  async step(): Promise<boolean> {
    if (!this.job) {
      const end = floor(Math.min(this.now() - SETTLE_MS, this.unwrittenSince()), MINUTE);
      if (end <= this.rolledMinute) return false;
      this.job = { end, phase: 'minutes' };
    }
    if (this.job.phase === 'minutes') {
      await this.minuteSlice(this.job.end);
      return true;
    }
    await this.prune();
    this.job = null;
    return false;
  }

  private async minuteSlice(end: number): Promise<void> {
    const boundary = this.boundary.get(this.minutesTo, SLICE_ROWS)?.at;
    // Many rows in one millisecond: still move on.
    const to = boundary === undefined || boundary >= end ? end : Math.max(boundary, this.minutesTo + 1);
    const done = to === end;
    const ops: WriteOp[] = [{ sql: MINUTES_SQL, width: 2, params: [this.minutesTo, to] }];
    if (done) ops.push({ sql: HOURS_SQL, width: 2, params: [this.rolledMinute, end] });
    ops.push({ sql: SAVE_SQL, width: 2, params: [to, done ? end : this.rolledMinute] });
    await this.batch.write(ops);
    this.minutesTo = to;
    if (done) {
      this.rolledMinute = end;
      this.job!.phase = 'prune';
    }
  }

  /**
   * Pruning stays one statement per table: deleting in time-ordered slices touches a page of
   * the series index per row and costs about eight times as much in all (measured).
   */
  private prune(): Promise<void> {
    const now = this.now();
    const { rawDays, minuteDays, hourDays } = this.retention;
    return this.batch.write([
      { sql: 'DELETE FROM history WHERE at < ?', width: 1, params: [now - rawDays * DAY] },
      { sql: 'DELETE FROM history_minute WHERE bucket < ?', width: 1, params: [now - minuteDays * DAY] },
      { sql: 'DELETE FROM history_hour WHERE bucket < ?', width: 1, params: [now - hourDays * DAY] },
    ]);
  }
}
