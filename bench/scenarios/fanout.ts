import mqtt from 'mqtt';
import { Dashboards } from '../lib/dashboards.js';
import { health, withHub } from '../lib/hub.js';
import { summarise, type Latency } from '../lib/stats.js';
import { clock, sleep, until } from '../lib/time.js';

export interface FanoutRun {
  dashboards: number;
  changes: number;
  /** Dashboards reached per second while one change goes out: dashboards / time to the last one. */
  deliveriesPerSecond: number;
  /** Publish to each dashboard, over every delivery of every change. */
  latency: Latency;
  /** Publish to the last dashboard, per change. */
  lastDelivery: Latency;
}

const DASHBOARDS_PER_PROCESS = 500;

/**
 * One change (a sensor reading) delivered to many dashboards, one change at a time, each
 * given time to reach every dashboard before the next: what one event costs to fan out.
 */
export function fanout(dashboards: number, changes: number, epoch: number): Promise<FanoutRun> {
  return withHub(async (hub) => {
    const sensor = await mqtt.connectAsync(hub.mqttUrl, { reconnectPeriod: 0 });
    let viewers: Dashboards | undefined;
    try {
      const config = { name: 'Sent', stat_t: 'bench/fan', val_tpl: '{{ value_json.t }}', unit_of_meas: 'ms', dev: { ids: ['fan'], name: 'Fan-out' } };
      await sensor.publishAsync('homeassistant/sensor/fan/t/config', JSON.stringify(config), { qos: 1, retain: true });
      await until(async () => (await health(hub)).devices.total === 1, 10_000, 'the fan-out sensor');
      viewers = await Dashboards.open(hub, dashboards, epoch, DASHBOARDS_PER_PROCESS);
      await viewers.reset(true);
      // Generous next to the last delivery measured (tens of ms for a thousand): changes never overlap.
      const gapMs = 50 + dashboards * 0.25;
      for (let i = 0; i < changes; i++) {
        await sensor.publishAsync('bench/fan', `{"t":${(clock() - epoch).toFixed(3)}}`, { qos: 0 });
        await sleep(gapMs);
      }
      let report = await viewers.report();
      await until(
        async () => (report = await viewers!.report()).received >= dashboards * changes,
        30_000,
        `${dashboards * changes} deliveries`,
      );
      const lastDeliveries = [...report.readings.values()].map((r) => r.slowestMs);
      const lastDelivery = summarise(lastDeliveries);
      return { dashboards, changes, deliveriesPerSecond: Math.round(dashboards / (lastDelivery.p50 / 1000)), latency: report.latency.summary(), lastDelivery };
    } finally {
      await sensor.endAsync();
      await viewers?.stop();
    }
  });
}

