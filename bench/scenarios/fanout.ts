import mqtt from 'mqtt';
import { Generator } from '../lib/generator.js';
import { startHub } from '../lib/hub.js';
import type { Latency } from '../lib/stats.js';

export interface FanoutRun {
  dashboards: number;
  changes: number;
  deliveriesPerSecond: number;
  latency: Latency;
}

const PER_PROCESS = 500;

/** One change delivered to many dashboards: serialised once, written to every socket. */
export async function fanout(sizes: number[], changes: number): Promise<FanoutRun[]> {
  const results: FanoutRun[] = [];
  for (const dashboards of sizes) {
    const hub = await startHub();
    const viewers = Array.from({ length: Math.ceil(dashboards / PER_PROCESS) }, () => new Generator('dashboards'));
    const sensor = await mqtt.connectAsync(hub.mqttUrl, { reconnectPeriod: 0 });
    try {
      const config = { name: 'Sent', stat_t: 'bench/fan', val_tpl: '{{ value_json.t }}', unit_of_meas: 'ms', dev: { ids: ['fan'], name: 'Fan-out' } };
      await sensor.publishAsync('homeassistant/sensor/fan/t/config', JSON.stringify(config), { qos: 1, retain: true });
      await Promise.all(viewers.map((g, i) => g.ask({ cmd: 'open', url: hub.wsUrl, count: Math.min(PER_PROCESS, dashboards - i * PER_PROCESS) })));
      await Promise.all(viewers.map((g) => g.ask({ cmd: 'reset' })));
      const start = performance.now();
      for (let i = 0; i < changes; i++) {
        await sensor.publishAsync('bench/fan', `{"t":${Date.now()}}`, { qos: 0 });
        await new Promise((r) => setTimeout(r, 20));
      }
      let reports: { received: number; latency: Latency }[] = [];
      for (let attempt = 0; attempt < 600; attempt++) {
        reports = await Promise.all(viewers.map((g) => g.ask<{ received: number; latency: Latency }>({ cmd: 'report' })));
        if (reports.reduce((s, r) => s + r.received, 0) >= dashboards * changes) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const elapsed = (performance.now() - start) / 1000;
      const received = reports.reduce((s, r) => s + r.received, 0);
      // The slowest process's tail is the fan-out's tail.
      const worst = reports.reduce((a, b) => (b.latency.p99 > a.latency.p99 ? b : a)).latency;
      results.push({ dashboards, changes, deliveriesPerSecond: Math.round(received / elapsed), latency: worst });
    } finally {
      await sensor.endAsync();
      await Promise.all(viewers.map((g) => g.stop()));
      await hub.stop();
    }
  }
  return results;
}
