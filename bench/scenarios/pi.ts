import { Generator } from '../lib/generator.js';
import { health, withHub } from '../lib/hub.js';
import { measure } from '../lib/process-stats.js';
import { sleep, until } from '../lib/time.js';

export interface PiLoad {
  /** Simulated devices beyond the demo home's. */
  extraDevices: number;
  cpuPercent: number;
  rssMb: number;
  seconds: number;
}

/**
 * The demo home at rest, then with `extraDevices` more sensors reporting every 10 s: the
 * hub's CPU (percent of one core) and resident memory, on a hub started in the Pi profile.
 */
export function piLoad({ warmupSeconds, seconds, extraDevices, epoch }: { warmupSeconds: number; seconds: number; extraDevices: number; epoch: number }): Promise<PiLoad[]> {
  return withHub(
    async (hub) => {
      await until(async () => (await health(hub)).devices.online > 0, 60_000, 'the demo home online', 500);
      await sleep(warmupSeconds * 1000);
      const rest = await measure(hub.pid, [], () => sleep(seconds * 1000));
      const sensors = new Generator('sensors');
      try {
        await sensors.ask({ cmd: 'start', url: hub.mqttUrl, count: extraDevices, prefix: 'pi', epoch });
        // Their announcements settle first: a home's devices are not all new every day.
        await sensors.ask({ cmd: 'paced', seconds: warmupSeconds, perSecond: 0.1 });
        const busy = await measure(hub.pid, [sensors.pid], () => sensors.ask({ cmd: 'paced', seconds, perSecond: 0.1 }));
        const row = (extra: number, m: { hubCpuPercent: number; hubRssMb: number; seconds: number }) => ({ extraDevices: extra, cpuPercent: m.hubCpuPercent, rssMb: m.hubRssMb, seconds: Math.round(m.seconds) });
        return [row(0, rest), row(extraDevices, busy)];
      } finally {
        await sensors.stop();
      }
    },
    { args: ['--simulate=1'] },
  );
}
