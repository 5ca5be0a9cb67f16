import { Generator } from '../lib/generator.js';
import { health, startHub } from '../lib/hub.js';
import { measure } from '../lib/process-stats.js';
import type { Latency } from '../lib/stats.js';

export interface IngestRun {
  sensors: number;
  mode: 'paced' | 'flat-out';
  sent: number;
  /** Messages the hub took in (and persisted) per second. */
  ingestedPerSecond: number;
  /** Deliveries to all dashboards per second. */
  deliveredPerSecond: number;
  publishToDashboard: Latency;
  hubCpuPercent: number;
  hubRssMb: number;
}

/** Load spread over generator processes: MQTT.js clients cost memory and CPU of their own. */
const PER_PROCESS = 2500;

/**
 * Sensors publishing to the hub, which records every reading (journal, state, history in
 * SQLite) and fans it out to the dashboards.
 */
export async function ingest(runs: { sensors: number; mode: 'paced' | 'flat-out' }[], seconds: number, dashboards: number): Promise<IngestRun[]> {
  const results: IngestRun[] = [];
  for (const run of runs) {
    const hub = await startHub();
    const processes = Array.from({ length: Math.ceil(run.sensors / PER_PROCESS) }, () => new Generator('sensors'));
    const viewers = new Generator('dashboards');
    try {
      await Promise.all(
        processes.map((g, i) => g.ask({ cmd: 'start', url: hub.mqttUrl, count: Math.min(PER_PROCESS, run.sensors - i * PER_PROCESS), prefix: `s${i}` })),
      );
      await viewers.ask({ cmd: 'open', url: hub.wsUrl, count: dashboards });
      await viewers.ask({ cmd: 'reset' });
      const before = (await health(hub)).bridge.messages;
      const { result, cpuPercent, rssMb, seconds: elapsed } = await measure(hub.pid, () =>
        Promise.all(processes.map((g) => g.ask<{ sent: number }>({ cmd: run.mode === 'paced' ? 'paced' : 'flat', seconds }))),
      );
      const ingested = (await health(hub)).bridge.messages - before;
      const report = await viewers.ask<{ received: number; latency: Latency }>({ cmd: 'report' });
      results.push({
        sensors: run.sensors,
        mode: run.mode,
        sent: result.reduce((sum, r) => sum + r.sent, 0),
        ingestedPerSecond: Math.round(ingested / elapsed),
        deliveredPerSecond: Math.round(report.received / elapsed),
        publishToDashboard: report.latency,
        hubCpuPercent: cpuPercent,
        hubRssMb: rssMb,
      });
    } finally {
      await Promise.all([...processes.map((g) => g.stop()), viewers.stop()]);
      await hub.stop();
    }
  }
  return results;
}
