import type { DeviceState } from '../protocol/device.js';
import type { Db } from '../store/database.js';
import type { WriteBatch, WriteOp } from '../store/write-batch.js';
import { DAY, floor, HOUR, KEEP_ROWS_TO, MINUTE, NEWEST_AT_SQL, RollUp } from './roll-up.js';
import { UnwrittenReadings } from './unwritten.js';
import { GATHER_MS, GatheredWrites, HISTORY_STEADY_GATHER_MS, QUIET_GATHER_MS } from '../store/gathered-writes.js';
import { eventsToReplay, replayProgress } from '../store/replay.js';

export type Resolution = 'raw' | 'minute' | 'hour';

export interface HistoryOptions {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  /** Size cap of the database in MB, kept by dropping the oldest raw rows; 0 for none. */
  maxMb?: number;
}

/** One point: time, value (an average for summaries), and for summaries min and max. */
export type Point = [at: number, value: number] | [at: number, avg: number, min: number, max: number];


/**
 * Sensor readings and state changes over time. Numbers are kept as they are, booleans as
 * 1 and 0 (an on/off timeline). Raw changes are gathered per series for a few seconds and
 * written together through the write batch; their journal events hold them meanwhile.
 * Minute and hour summaries are computed from them as time passes, so long ranges read few rows.
 */
export class History {
  private readonly unwritten = new UnwrittenReadings();
  private readonly writes: GatheredWrites;
  private readonly rollUps: RollUp;
  private readonly statements;
  private latestRecorded: number;

  /**
   * `lastSeq` gives the journal's newest sequence number: a reading recorded now came with
   * that event (the journal hears each registry change before the history does).
   */
  constructor(
    db: Db,
    private readonly batch: WriteBatch,
    private readonly options: HistoryOptions,
    private readonly now: () => number = Date.now,
    private readonly lastSeq: () => number = () => 0,
  ) {
    this.writes = new GatheredWrites(
      batch,
      { firstSince: () => this.unwritten.firstSince(), count: () => this.unwritten.size, take: (cutoff, maxRows) => this.takeOps(cutoff, maxRows) },
      GATHER_MS,
      QUIET_GATHER_MS,
      HISTORY_STEADY_GATHER_MS,
    );
    this.rollUps = new RollUp(db, batch, options, now, () => this.unwritten.oldestAt);
    this.statements = {
      raw: db.prepare('SELECT at, value FROM history WHERE device_id = ? AND property = ? AND at >= ? AND at <= ? ORDER BY at, rowid').raw(),
      summaries: {
        minute: db.prepare('SELECT bucket, round(avg, 4), min, max FROM history_minute WHERE device_id = ? AND property = ? AND bucket >= ? AND bucket < ? ORDER BY bucket').raw(),
        hour: db.prepare('SELECT bucket, round(avg, 4), min, max FROM history_hour WHERE device_id = ? AND property = ? AND bucket >= ? AND bucket < ? ORDER BY bucket').raw(),
      },
      // The summaries not yet made, computed for one series from its raw rows (an index range).
      tail: {
        minute: db
          .prepare(`SELECT at / ${MINUTE} * ${MINUTE} AS b, round(avg(value), 4), min(value), max(value) FROM history WHERE device_id = ? AND property = ? AND at >= ? AND at <= ? GROUP BY b ORDER BY b`)
          .raw(),
        hour: db
          .prepare(`SELECT at / ${HOUR} * ${HOUR} AS b, round(avg(value), 4), min(value), max(value) FROM history WHERE device_id = ? AND property = ? AND at >= ? AND at <= ? GROUP BY b ORDER BY b`)
          .raw(),
      },
    };
    this.latestRecorded = db.prepare<[], { at: number | null }>(NEWEST_AT_SQL).get()?.at ?? 0;
    replayUnwritten(db, (deviceId, changed, at, seq) => this.record(deviceId, changed, at, seq), (deviceId) => this.unwritten.dropDevice(deviceId));
  }

  /** The newest reading's time, stored or gathered: later than now after the clock stepped back. */
  get latestAt(): number {
    return this.latestRecorded;
  }

  /** The journal's oldest event whose readings are not written yet, or null: the journal keeps it and all after it. */
  get firstUnwrittenSeq(): number | null {
    return this.unwritten.oldestSeq;
  }

  /** Gathers the numeric and boolean values that changed, brought by journal event `seq`. */
  record(deviceId: string, changed: DeviceState, at: number, seq = this.lastSeq()): void {
    // While the disk refuses writes, readings wait in memory, but not without end.
    if (this.unwritten.size >= MAX_UNSAVED_READINGS && this.batch.failing) return;
    const now = performance.now();
    if (at > this.latestRecorded) this.latestRecorded = at;
    for (const property in changed) {
      const value = changed[property];
      if (typeof value === 'number' && Number.isFinite(value)) this.unwritten.add(deviceId, property, at, value, seq, now);
      else if (typeof value === 'boolean') this.unwritten.add(deviceId, property, at, value ? 1 : 0, seq, now);
    }
    this.writes.wake();
  }

  /** Points of one property between `from` and `to`, oldest first, within the retention of their resolution. */
  async read(deviceId: string, property: string, from: number, to: number, resolution: Resolution): Promise<Point[]> {
    // What is still gathered for this series is written first, so a chart has every reading.
    // While the disk refuses writes the rows wait in the batch, and the request is refused at
    // once (503) instead of waiting out the outage.
    // Rows an earlier read queued (refused then by a failing disk) may still wait in the batch:
    // a read behind them waits for them too, or a chart just after an outage would miss them.
    const params: (string | number)[] = [];
    const taken = this.unwritten.takeSeries(deviceId, property, params) > 0;
    if ((taken || this.batch.pending) && !(await this.batch.writeUnlessFailing(taken ? [insertRows(params)] : []))) throw this.batch.faultError();
    const now = this.now();
    const { rawDays, minuteDays, hourDays } = this.options;
    if (resolution === 'raw') return this.statements.raw.all(deviceId, property, Math.max(from, now - rawDays * DAY), to) as Point[];
    const step = resolution === 'minute' ? MINUTE : HOUR;
    const kept = now - (resolution === 'minute' ? minuteDays : hourDays) * DAY;
    const start = Math.max(floor(from, step), floor(kept, step));
    // Summaries up to the bucket in progress, then that bucket and later ones from the raw rows.
    const tailFrom = Math.max(start, floor(this.rollUps.rolledMinute, step));
    const summarised = this.statements.summaries[resolution].all(deviceId, property, start, tailFrom) as Point[];
    return summarised.concat(this.statements.tail[resolution].all(deviceId, property, tailFrom, to) as Point[]);
  }

  /** The finest resolution that still holds `from`, and keeps a chart to a few thousand points. */
  resolutionFor(from: number, to: number): Resolution {
    const now = this.now();
    const span = to - from;
    if (from >= now - this.options.rawDays * DAY && span <= 2 * DAY) return 'raw';
    if (from >= now - this.options.minuteDays * DAY && span <= 7 * DAY) return 'minute';
    return 'hour';
  }

  /** One slice of summarising and pruning, resolved once committed; true while more remains (see roll-up.ts). */
  rollUpStep(): Promise<boolean> {
    return this.rollUps.step();
  }

  /** Summarises complete minutes and hours and drops what is past its retention. */
  async rollUp(): Promise<void> {
    while (await this.rollUpStep());
  }

  /** Writes every gathered reading now (at shutdown, say); resolves once committed. */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  /** Queued behind the device's last readings, so none of them outlives it, and before any it reports later. */
  removeDevice(deviceId: string): void {
    this.unwritten.dropDevice(deviceId);
    for (const table of ['history', 'history_minute', 'history_hour']) this.batch.run(`DELETE FROM ${table} WHERE device_id = ?`, deviceId);
    this.batch.run(KEEP_ROWS_TO.sql);
    this.writes.reorder();
  }

  /** The series gathered since `cutoff` or before, as rows, and from where a crash would replay. */
  private takeOps(cutoff: number, maxRows: number): WriteOp[] {
    const params: (string | number)[] = [];
    this.unwritten.takeUpTo(params, cutoff, maxRows);
    const oldest = this.unwritten.oldestSeq;
    const progress = replayProgress('history', oldest === null ? this.lastSeq() : oldest - 1);
    return params.length > 0 ? [insertRows(params), progress] : [progress];
  }
}

const insertRows = (params: (string | number)[]): WriteOp => ({ sql: 'INSERT INTO history (device_id, property, at, value, seq) VALUES (?, ?, ?, ?, ?)', width: READING_VALUES, params });

/**
 * After a crash: the readings of journalled events that were still gathered in memory, from
 * the events after the last committed replay progress. Some series were written past that
 * point; a reading is on disk when its row (found by series and time) carries its event's
 * sequence number. Not by time alone: after the clock stepped back, a reading older than the
 * series' newest row may still be unwritten. (Rows from before sequence numbers were kept
 * match by time.)
 */
function replayUnwritten(db: Db, record: (deviceId: string, changed: DeviceState, at: number, seq: number) => void, removed: (deviceId: string) => void): void {
  const stored = db.prepare<[string, string, number, number], 1>('SELECT 1 FROM history WHERE device_id = ? AND property = ? AND at = ? AND (seq = ? OR seq IS NULL) LIMIT 1').pluck();
  for (const event of eventsToReplay(db, 'history')) {
    if (event.type === 'removed') removed(event.id);
    if (event.type !== 'state') continue;
    const unwritten: Record<string, DeviceState[string]> = {};
    for (const property in event.changed) {
      if (stored.get(event.id, property, event.lastSeen, event.seq) === undefined) unwritten[property] = event.changed[property]!;
    }
    record(event.id, unwritten, event.lastSeen, event.seq);
  }
}

const MAX_UNSAVED_READINGS = 200_000;
const READING_VALUES = 5;
