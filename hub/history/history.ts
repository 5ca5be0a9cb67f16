import type { DeviceState } from '../protocol/device.js';
import type { Db } from '../store/database.js';
import type { WriteBatch } from '../store/write-batch.js';

export type Resolution = 'raw' | 'minute' | 'hour';

export interface HistoryOptions {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

/** One point: time, value (an average for summaries), and for summaries min and max. */
export type Point = [at: number, value: number] | [at: number, avg: number, min: number, max: number];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Sensor readings and state changes over time. Numbers are kept as they are, booleans as
 * 1 and 0 (an on/off timeline). Raw changes are written with the rest of the write batch;
 * minute and hour summaries are computed from them as time passes, so long ranges read few rows.
 */
export class History {
  private pending: [string, string, number, number][] = [];
  private rolledMinute: number;
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly batch: WriteBatch,
    private readonly options: HistoryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.statements = {
      insert: db.prepare('INSERT INTO history (device_id, property, at, value) VALUES (?, ?, ?, ?)'),
      rollMinutes: db.prepare(
        `INSERT OR REPLACE INTO history_minute (device_id, property, bucket, avg, min, max, count)
         SELECT device_id, property, at / ${MINUTE} * ${MINUTE}, avg(value), min(value), max(value), count(*)
         FROM history WHERE at >= ? AND at < ? GROUP BY device_id, property, at / ${MINUTE}`,
      ),
      rollHours: db.prepare(
        `INSERT OR REPLACE INTO history_hour (device_id, property, bucket, avg, min, max, count)
         SELECT device_id, property, bucket / ${HOUR} * ${HOUR}, sum(avg * count) / sum(count), min(min), max(max), sum(count)
         FROM history_minute WHERE bucket >= ? AND bucket < ? GROUP BY device_id, property, bucket / ${HOUR}`,
      ),
      lastMinute: db.prepare<[], { bucket: number | null }>('SELECT max(bucket) AS bucket FROM history_minute'),
      pruneRaw: db.prepare('DELETE FROM history WHERE at < ?'),
      pruneMinute: db.prepare('DELETE FROM history_minute WHERE bucket < ?'),
      pruneHour: db.prepare('DELETE FROM history_hour WHERE bucket < ?'),
      removeDevice: [
        db.prepare('DELETE FROM history WHERE device_id = ?'),
        db.prepare('DELETE FROM history_minute WHERE device_id = ?'),
        db.prepare('DELETE FROM history_hour WHERE device_id = ?'),
      ],
    };
    this.rolledMinute = (this.statements.lastMinute.get()?.bucket ?? floor(this.now() - DAY, MINUTE) - MINUTE) + MINUTE;
  }

  /** Queues the numeric and boolean values that changed. */
  record(deviceId: string, changed: DeviceState, at: number): void {
    const before = this.pending.length;
    // While the disk refuses writes, readings wait in memory, but not without end.
    if (before >= MAX_UNSAVED_READINGS && this.batch.failing) return;
    for (const property in changed) {
      const value = changed[property];
      if (typeof value === 'number' && Number.isFinite(value)) this.pending.push([deviceId, property, at, value]);
      else if (typeof value === 'boolean') this.pending.push([deviceId, property, at, value ? 1 : 0]);
    }
    if (before === 0 && this.pending.length > 0) this.batch.add(() => this.write(), () => (this.pending = []));
  }

  /** Points of one property between `from` and `to`, oldest first. */
  read(deviceId: string, property: string, from: number, to: number, resolution: Resolution): Point[] {
    if (resolution === 'raw') {
      return this.db
        .prepare<[string, string, number, number], { at: number; value: number }>(
          'SELECT at, value FROM history WHERE device_id = ? AND property = ? AND at >= ? AND at <= ? ORDER BY at, rowid',
        )
        .raw()
        .all(deviceId, property, from, to) as unknown as Point[];
    }
    // The bucket in progress is not summarised yet: it comes from the raw rows.
    this.rollUp();
    const table = resolution === 'minute' ? 'history_minute' : 'history_hour';
    return this.db
      .prepare(`SELECT bucket, round(avg, 4), min, max FROM ${table} WHERE device_id = ? AND property = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket`)
      .raw()
      .all(deviceId, property, floor(from, resolution === 'minute' ? MINUTE : HOUR), to) as Point[];
  }

  /** The finest resolution that still holds `from`, and keeps a chart to a few thousand points. */
  resolutionFor(from: number, to: number): Resolution {
    const now = this.now();
    const span = to - from;
    if (from >= now - this.options.rawDays * DAY && span <= 2 * DAY) return 'raw';
    if (from >= now - this.options.minuteDays * DAY && span <= 7 * DAY) return 'minute';
    return 'hour';
  }

  /** Summarises complete minutes and hours and drops what is past its retention. */
  rollUp(): void {
    const end = floor(this.now(), MINUTE);
    if (end <= this.rolledMinute) return;
    const start = this.rolledMinute;
    this.batch.flush();
    this.db.transaction(() => {
      this.statements.rollMinutes.run(start, end);
      this.statements.rollHours.run(floor(start, HOUR), end);
      const now = this.now();
      this.statements.pruneRaw.run(now - this.options.rawDays * DAY);
      this.statements.pruneMinute.run(now - this.options.minuteDays * DAY);
      this.statements.pruneHour.run(now - this.options.hourDays * DAY);
    })();
    this.rolledMinute = end;
  }

  removeDevice(deviceId: string): void {
    this.batch.flush();
    this.db.transaction(() => this.statements.removeDevice.forEach((s) => s.run(deviceId)))();
  }

  /** Runs inside the batch transaction. */
  private write(): number {
    const rows = this.pending.length;
    for (const row of this.pending) this.statements.insert.run(row);
    return rows;
  }
}

const MAX_UNSAVED_READINGS = 200_000;

function floor(at: number, step: number): number {
  return Math.floor(at / step) * step;
}
