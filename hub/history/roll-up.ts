import type { Db } from '../store/database.js';
import type { WriteBatch, WriteOp } from '../store/write-batch.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Retention {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  /** The database's size (pages in use) past which the oldest raw rows go; 0 for no cap. */
  maxMb?: number;
}

/**
 * Raw rows one commit drops at most when the database is over its size cap. A row's index
 * entries are spread over the series index, so a slice costs a page or so per row: a few
 * tens of milliseconds that every commit queued behind it waits.
 */
const CAP_SLICE_ROWS = 5000;

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
 * Raw rows are found by time through an index of their ten seconds, `history_10s` (see its
 * migration): its expression, as SQLite must see it to use the index.
 */
const TEN_SECONDS_MS = 10_000;
const TEN_SECONDS = `at / ${TEN_SECONDS_MS}`;

/** The newest raw row's time: the index gives the newest ten seconds, and only their rows are read (max(at) alone reads them all). */
export const NEWEST_AT_SQL = `SELECT max(at) AS at FROM history WHERE ${TEN_SECONDS} = (SELECT max(${TEN_SECONDS}) FROM history)`;

/** Deletes the raw rows stamped before `at` (and at it, with `orAt`): the index finds their ten seconds, then the time. */
const deleteRowsBefore = (at: number, orAt = false): WriteOp => ({
  sql: `DELETE FROM history WHERE ${TEN_SECONDS} <= ? AND at ${orAt ? '<=' : '<'} ?`,
  width: 2,
  params: [Math.floor(at / TEN_SECONDS_MS), at],
});

/**
 * Summaries for times before this long ago are read from the summary tables: readings from
 * the last moments may still be on their way to disk in the writer thread's commit.
 */
const SETTLE_MS = 2000;

/** Raw rows (rowid after ? up to ?) merged into the summaries of their minutes and of their hours. */
const summariseInto = (table: string, step: number) => `INSERT INTO ${table} (device_id, property, bucket, avg, min, max, count)
  SELECT device_id, property, at / ${step} * ${step}, avg(value), min(value), max(value), count(*)
  FROM history WHERE rowid > ? AND rowid <= ? GROUP BY device_id, property, at / ${step} ${merge(table)}`;
const MINUTES_SQL = summariseInto('history_minute', MINUTE);
const HOURS_SQL = summariseInto('history_hour', HOUR);
const SAVE_SQL =
  'INSERT INTO history_rollup (id, minutes_to, rolled_minute, rows_to) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET minutes_to = excluded.minutes_to, rolled_minute = excluded.rolled_minute, rows_to = excluded.rows_to';
/**
 * SQLite hands a new row the largest rowid plus one: once the newest rows are deleted (a
 * device removed, everything pruned), new rows may get rowids already passed. Run after such deletes.
 */
export const KEEP_ROWS_TO = {
  sql: 'UPDATE history_rollup SET rows_to = min(rows_to, coalesce((SELECT max(rowid) FROM history), 0))',
  width: 0,
  params: [],
} satisfies WriteOp;

/**
 * Minute and hour summaries of the raw history, made a slice at a time, then its pruning.
 * Rows are summarised in the order they were written (by rowid), whatever time they carry:
 * after the clock stepped back, or when a device reports late, a row lands in a minute
 * already summarised and is merged into it. Each slice adds its rows to their minutes and
 * hours, and its progress is committed with it, so a restart neither skips nor counts twice.
 * The writes go through the write batch like every other, so they never wait for the
 * writer's lock on the event loop, and a slice the disk refuses is retried in order with the rest.
 *
 * `rolledMinute` is what reads rely on: every row before that minute that was on disk when
 * the last run began is in the summaries; a later row of those minutes joins them at the next run.
 */
export class RollUp {
  /** Minutes before this are summarised, and their hours too (see above). */
  rolledMinute: number;
  private rowsTo: number;
  private job: { end: number; lastRow: number; phase: 'rows' | 'prune' } | null = null;
  private readonly lastRow;
  private readonly savedRowsTo;
  private readonly size;

  constructor(
    db: Db,
    private readonly batch: WriteBatch,
    private readonly retention: Retention,
    private readonly now: () => number,
    /** Time of the oldest reading not written yet (Infinity: none); its minute waits for it. */
    private readonly unwrittenSince: () => number = () => Infinity,
  ) {
    this.size = {
      used: db.prepare<[], { bytes: number }>('SELECT (page_count - freelist_count) * page_size AS bytes FROM pragma_page_count, pragma_freelist_count, pragma_page_size'),
      // About how many raw rows there are, without counting them (rowids grow as rows are written).
      rows: db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(rowid) AS lo, max(rowid) AS hi FROM history'),
      // The ten seconds that hold the row `n` from the oldest: `n` entries of the index.
      oldestTenSeconds: db.prepare<[number], { bucket: number }>(`SELECT ${TEN_SECONDS} AS bucket FROM history ORDER BY ${TEN_SECONDS} LIMIT 1 OFFSET ?`),
      // Row `n` by time among those of the ten seconds up to `bucket`: only they are sorted.
      oldestUpTo: db.prepare<[number, number], { at: number }>(`SELECT at FROM history WHERE ${TEN_SECONDS} <= ? ORDER BY at LIMIT 1 OFFSET ?`),
    };
    this.lastRow = db.prepare<[], { id: number | null }>('SELECT max(rowid) AS id FROM history');
    this.savedRowsTo = db.prepare<[], { rows_to: number }>('SELECT rows_to FROM history_rollup WHERE id = 1');
    const saved = db.prepare<[], { rolled_minute: number; rows_to: number }>('SELECT rolled_minute, rows_to FROM history_rollup WHERE id = 1').get();
    // Databases from before the progress was kept: their summaries end at the newest minute.
    const last = db.prepare<[], { bucket: number | null }>('SELECT max(bucket) AS bucket FROM history_minute').get()?.bucket;
    this.rolledMinute = saved?.rolled_minute ?? (last != null ? last + MINUTE : floor(this.now() - DAY, MINUTE));
    this.rowsTo = saved?.rows_to ?? (last != null ? (db.prepare<[number], { id: number | null }>('SELECT max(rowid) AS id FROM history WHERE at < ?').get(this.rolledMinute)?.id ?? 0) : 0);
  }

  /**
   * Does one slice of work, starting a run when rows were written since the last, and
   * resolves once it is committed: true while more remains. One step at a time: each starts
   * where the last one's commit left off.
   */
  async step(): Promise<boolean> {
    if (!this.job) {
      // As committed: KEEP_ROWS_TO may have lowered it.
      this.rowsTo = this.savedRowsTo.get()?.rows_to ?? this.rowsTo;
      const lastRow = this.lastRow.get()?.id ?? 0;
      if (lastRow <= this.rowsTo) return false;
      const end = Math.max(this.rolledMinute, floor(Math.min(this.now() - SETTLE_MS, this.unwrittenSince()), MINUTE));
      this.job = { end, lastRow, phase: 'rows' };
    }
    if (this.job.phase === 'rows') {
      await this.slice(this.job);
      return true;
    }
    await this.pruneToSize();
    this.job = null;
    return false;
  }

  private async slice(job: { end: number; lastRow: number; phase: string }): Promise<void> {
    const to = Math.min(job.lastRow, this.rowsTo + SLICE_ROWS);
    const done = to === job.lastRow;
    await this.batch.write([
      { sql: MINUTES_SQL, width: 2, params: [this.rowsTo, to] },
      { sql: HOURS_SQL, width: 2, params: [this.rowsTo, to] },
      { sql: SAVE_SQL, width: 3, params: [job.end, done ? job.end : this.rolledMinute, to] },
      // The run's last slice prunes in the same commit: a home at rest makes one a minute, not two.
      ...(done ? this.pruning() : []),
    ]);
    this.rowsTo = to;
    if (done) {
      this.rolledMinute = job.end;
      job.phase = 'prune';
    }
  }

  /**
   * Pruning stays one statement per table: deleting in time-ordered slices touches a page of
   * the series index per row and costs about eight times as much in all (measured).
   */
  private pruning(): WriteOp[] {
    const now = this.now();
    const { rawDays, minuteDays, hourDays } = this.retention;
    return [
      deleteRowsBefore(now - rawDays * DAY),
      { sql: 'DELETE FROM history_minute WHERE bucket < ?', width: 1, params: [now - minuteDays * DAY] },
      { sql: 'DELETE FROM history_hour WHERE bucket < ?', width: 1, params: [now - hourDays * DAY] },
      KEEP_ROWS_TO,
    ];
  }

  /**
   * Under `--history-max-mb`: while the database holds more, the oldest raw rows go, a slice
   * per commit, so history alone never fills the card. Summaries and the journal stay; a
   * cap below what they hold empties the raw history and goes no further.
   */
  private async pruneToSize(): Promise<void> {
    const cap = (this.retention.maxMb ?? 0) * 1_048_576;
    if (cap === 0) return;
    for (;;) {
      const used = this.size.used.get()!.bytes;
      const { lo, hi } = this.size.rows.get()!;
      if (used <= cap || lo === null || hi === null) return;
      // The share of the rows the excess is, at most a slice.
      const drop = Math.min(CAP_SLICE_ROWS, Math.max(1, Math.ceil(((hi - lo + 1) * (used - cap)) / used)));
      const first = this.oldestAt(0)!;
      const before = this.oldestAt(drop) ?? Infinity;
      // Many rows in one millisecond: that millisecond goes whole, so each slice moves on.
      await this.batch.write([before > first ? deleteRowsBefore(before) : deleteRowsBefore(first, true)]);
    }
  }

  /** The time of the row `n` from the oldest, or undefined when there are no more rows. */
  private oldestAt(n: number): number | undefined {
    const bucket = this.size.oldestTenSeconds.get(n)?.bucket;
    return bucket === undefined ? undefined : this.size.oldestUpTo.get(bucket, n)!.at;
  }
}
