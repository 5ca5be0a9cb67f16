import { Generator } from '../lib/generator.js';
import { health, withHub } from '../lib/hub.js';
import { processStats } from '../lib/process-stats.js';
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
      const rest = await idleWindow(hub.pid, () => sleep(seconds * 1000));
      const sensors = new Generator('sensors');
      try {
        await sensors.ask({ cmd: 'start', url: hub.mqttUrl, count: extraDevices, prefix: 'pi', epoch });
        // Their announcements settle first: a home's devices are not all new every day.
        await sensors.ask({ cmd: 'paced', seconds: warmupSeconds, perSecond: 0.1 });
        const busy = await idleWindow(hub.pid, () => sensors.ask({ cmd: 'paced', seconds, perSecond: 0.1 }));
        return [{ extraDevices: 0, ...rest }, { extraDevices, ...busy }];
      } finally {
        await sensors.stop();
      }
    },
    { args: ['--simulate=1'] },
  );
}

/** The hub's CPU over `work`, to a tenth of a percent (a hub at rest uses about 1 %), and its RSS at the end. */
async function idleWindow(pid: number, work: () => Promise<unknown>): Promise<Omit<PiLoad, 'extraDevices'>> {
  const before = processStats(pid).cpuSeconds;
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  return { cpuPercent: Math.round(((processStats(pid).cpuSeconds - before) / seconds) * 1000) / 10, rssMb: processStats(pid).rssMb, seconds: Math.round(seconds) };
}
