import type { DeviceState } from '../protocol/device.js';
import type { Db } from '../store/database.js';
import type { Taken, WriteBatch } from '../store/write-batch.js';
import { DAY, floor, HOUR, MINUTE, RollUp } from './roll-up.js';

export type Resolution = 'raw' | 'minute' | 'hour';

export interface HistoryOptions {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

/** One point: time, value (an average for summaries), and for summaries min and max. */
export type Point = [at: number, value: number] | [at: number, avg: number, min: number, max: number];


/**
 * Sensor readings and state changes over time. Numbers are kept as they are, booleans as
 * 1 and 0 (an on/off timeline). Raw changes are written with the rest of the write batch;
 * minute and hour summaries are computed from them as time passes, so long ranges read few rows.
 */
export class History {
  /** Readings not yet handed to a commit, READING_VALUES each: device, property, time, value. */
  private pending: (string | number)[] = [];
  private readonly rollUps: RollUp;
  private readonly statements;

  constructor(
    db: Db,
    private readonly batch: WriteBatch,
    private readonly options: HistoryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.rollUps = new RollUp(db, batch, options, now);
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
  }

  /** Queues the numeric and boolean values that changed. */
  record(deviceId: string, changed: DeviceState, at: number): void {
    const before = this.pending.length;
    // While the disk refuses writes, readings wait in memory, but not without end.
    if (before >= MAX_UNSAVED_READINGS * READING_VALUES && this.batch.failing) return;
    for (const property in changed) {
      const value = changed[property];
      if (typeof value === 'number' && Number.isFinite(value)) this.pending.push(deviceId, property, at, value);
      else if (typeof value === 'boolean') this.pending.push(deviceId, property, at, value ? 1 : 0);
    }
    if (before === 0 && this.pending.length > 0) this.batch.add(() => this.take());
  }

  /** Points of one property between `from` and `to`, oldest first, within the retention of their resolution. */
  read(deviceId: string, property: string, from: number, to: number, resolution: Resolution): Point[] {
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

  /** Queued behind the device's last readings, so none of them outlives it. */
  removeDevice(deviceId: string): void {
    for (const table of ['history', 'history_minute', 'history_hour']) this.batch.run(`DELETE FROM ${table} WHERE device_id = ?`, deviceId);
  }

  /** Hands the pending readings to the commit starting now. */
  private take(): Taken {
    const params = this.pending;
    this.pending = [];
    return { ops: [{ sql: 'INSERT INTO history (device_id, property, at, value) VALUES (?, ?, ?, ?)', width: READING_VALUES, params }] };
  }
}

const MAX_UNSAVED_READINGS = 200_000;
const READING_VALUES = 4;
