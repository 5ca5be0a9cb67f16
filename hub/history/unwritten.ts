const PER_READING = 3;

/** Readings of one series (a device's property) not yet handed to a commit, oldest first. */
interface Series {
  deviceId: string;
  property: string;
  /** Triples: time, value, journal sequence number of the event that brought it. */
  values: number[];
  /** Journal sequence number of the event that brought the first of them. */
  firstSeq: number;
  /** When the first of them arrived (performance.now()). */
  since: number;
}

/**
 * History readings gathered per series before they are written. Thousands of sensors
 * reporting at once put each reading on a different page of the series index, and a commit
 * writes every page it touched to the WAL whole: one 4 KB page per reading. Written a few
 * seconds' worth of one series at a time, they share the page.
 *
 * Series are kept in the order their first unwritten reading came (a Map keeps insertion
 * order), so the first series holds the oldest reading of all and the smallest sequence
 * number: everything the journal must keep for a crash to lose nothing.
 */
export class UnwrittenReadings {
  private readonly series = new Map<string, Series>();
  /** Readings held, over all series. */
  size = 0;

  add(deviceId: string, property: string, at: number, value: number, seq: number, now: number): void {
    const key = `${deviceId}\u0000${property}`;
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = { deviceId, property, values: [], firstSeq: seq, since: now }));
    series.values.push(at, value, seq);
    this.size++;
  }

  /** The journal sequence number of the oldest unwritten reading, or null when there is none. */
  get oldestSeq(): number | null {
    return this.first()?.firstSeq ?? null;
  }

  /** Time of the oldest unwritten reading, Infinity when there is none. */
  get oldestAt(): number {
    const first = this.first();
    return first ? first.values[0]! : Infinity;
  }

  /** When the oldest unwritten reading came (performance.now()), or null. */
  firstSince(): number | null {
    return this.first()?.since ?? null;
  }

  /**
   * Moves whole series into `params` (device, property, time, value, sequence number per row), oldest first:
   * those whose first reading came at or before `cutoff`, until `maxRows` rows are out.
   */
  takeUpTo(params: (string | number)[], cutoff: number, maxRows: number): number {
    let rows = 0;
    for (const [key, series] of this.series) {
      if (series.since > cutoff || rows >= maxRows) break;
      rows += this.move(key, series, params);
    }
    return rows;
  }

  /** Moves one series into `params`, if it has readings; returns the rows taken. */
  takeSeries(deviceId: string, property: string, params: (string | number)[]): number {
    const key = `${deviceId}\u0000${property}`;
    const series = this.series.get(key);
    return series ? this.move(key, series, params) : 0;
  }

  /** Drops a removed device's readings. */
  dropDevice(deviceId: string): void {
    for (const [key, series] of this.series) {
      if (series.deviceId !== deviceId) continue;
      this.series.delete(key);
      this.size -= series.values.length / PER_READING;
    }
  }

  private move(key: string, series: Series, params: (string | number)[]): number {
    const { deviceId, property, values } = series;
    for (let i = 0; i < values.length; i += PER_READING) params.push(deviceId, property, values[i]!, values[i + 1]!, values[i + 2]!);
    this.series.delete(key);
    this.size -= values.length / PER_READING;
    return values.length / PER_READING;
  }

  private first(): Series | undefined {
    for (const series of this.series.values()) return series;
    return undefined;
  }
}
