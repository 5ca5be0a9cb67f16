/** Latency summary in milliseconds. */
export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Exact percentiles of a small sample (toggles, round trips). */
export function summarise(samples: readonly number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { count: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? NaN) };
}

/**
 * Buckets 2% wide from 10 µs to about 3 minutes: every sample is counted (a capped sample
 * list keeps only the start of a run, its warm-up), memory stays fixed, and histograms from
 * several generator processes add up.
 */
const GROWTH = 1.02;
const SMALLEST_MS = 0.01;
const BUCKETS = 850;

export class Histogram {
  readonly counts: number[];
  max = 0;

  constructor(counts?: number[]) {
    this.counts = counts ?? new Array<number>(BUCKETS).fill(0);
  }

  add(ms: number): void {
    const index = ms <= SMALLEST_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / SMALLEST_MS) / Math.log(GROWTH)));
    this.counts[index]!++;
    if (ms > this.max) this.max = ms;
  }

  merge(other: { counts: number[]; max: number }): this {
    other.counts.forEach((c, i) => (this.counts[i]! += c));
    this.max = Math.max(this.max, other.max);
    return this;
  }

  get count(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** Upper edge of the bucket holding quantile `q`: never flatters by more than 2%. */
  quantile(q: number): number {
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank && seen > 0) return Math.min(this.max, SMALLEST_MS * GROWTH ** i);
    }
    return NaN;
  }

  summary(): Latency {
    return { count: this.count, p50: round(this.quantile(0.5)), p95: round(this.quantile(0.95)), p99: round(this.quantile(0.99)), max: round(this.max) };
  }

  toJSON(): { counts: number[]; max: number } {
    return { counts: this.counts, max: this.max };
  }
}
