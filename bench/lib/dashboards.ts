import { Generator, askAll, spread } from './generator.js';
import { Histogram } from './stats.js';

export interface DashboardsReport {
  /** Messages received by all dashboards together. */
  received: number;
  /** Messages received by the dashboard that got fewest: what every dashboard has seen. */
  leastReceived: number;
  latency: Histogram;
  /** Per tracked reading (its send time): deliveries and the slowest delivery, in ms. */
  readings: Map<number, { deliveries: number; slowestMs: number }>;
}

interface ProcessReport {
  received: number;
  leastReceived: number;
  latency: { counts: number[]; max: number };
  readings: [number, { deliveries: number; slowestMs: number }][];
}

/** Dashboard WebSocket clients spread over generator processes (see generators/dashboards.ts). */
export class Dashboards {
  private constructor(private readonly processes: Generator[]) {}

  static async open(hub: { wsUrl: string; headers: Record<string, string> }, count: number, epoch: number, perProcess: number): Promise<Dashboards> {
    const shares = spread(count, perProcess);
    const dashboards = new Dashboards(shares.map(() => new Generator('dashboards')));
    await askAll(dashboards.processes, (i) => ({ cmd: 'open', url: hub.wsUrl, headers: hub.headers, count: shares[i], epoch }));
    return dashboards;
  }

  get pids(): number[] {
    return this.processes.map((p) => p.pid);
  }

  async reset(trackReadings = false): Promise<void> {
    await askAll(this.processes, () => ({ cmd: 'reset', trackReadings }));
  }

  async report(): Promise<DashboardsReport> {
    const reports = await askAll<ProcessReport>(this.processes, () => ({ cmd: 'report' }));
    const readings = new Map<number, { deliveries: number; slowestMs: number }>();
    for (const [sent, r] of reports.flatMap((p) => p.readings)) {
      const seen = readings.get(sent);
      readings.set(sent, seen ? { deliveries: seen.deliveries + r.deliveries, slowestMs: Math.max(seen.slowestMs, r.slowestMs) } : r);
    }
    return {
      received: reports.reduce((sum, r) => sum + r.received, 0),
      leastReceived: Math.min(...reports.map((r) => r.leastReceived)),
      latency: reports.reduce((h, r) => h.merge(r.latency), new Histogram()),
      readings,
    };
  }

  stop(): Promise<void[]> {
    return Promise.all(this.processes.map((p) => p.stop()));
  }
}
