import { Generator, askAll, spread } from '../lib/generator.js';
import { health, withHub } from '../lib/hub.js';
import { processStats } from '../lib/process-stats.js';
import { sleep, until } from '../lib/time.js';

export interface ConnectionsResult {
  connections: number;
  hubRssIdleMb: number;
  /** Read SETTLE_MS after the last client connected, while the connect storm's garbage is still resident. */
  hubRssJustConnectedMb: number;
  /** Read after `quietSeconds` with every client connected and quiet: what a hub at rest holds. */
  hubRssConnectedMb: number;
  quietSeconds: number;
  kbPerConnection: number;
}

const PER_PROCESS = 2500;
/** Lets the hub's heap settle after the connect storm before RSS is read. */
const SETTLE_MS = 3_000;

/**
 * Many devices connected and quiet: what each costs the hub in memory. Read twice: just after
 * the connect storm, and once the hub has been at rest for a while. V8 hands the storm's
 * garbage back about half a minute into the quiet (measured: 256 → 166 MB at 35 s), and a
 * home's hub spends its days at rest, so the second reading is the one held to the target.
 */
export function connections(count: number, quietSeconds: number): Promise<ConnectionsResult> {
  return withHub(async (hub) => {
    const shares = spread(count, PER_PROCESS);
    const processes = shares.map(() => new Generator('idle'));
    try {
      await sleep(SETTLE_MS);
      const idle = processStats(hub.pid).rssMb;
      await askAll(processes, (i) => ({ url: hub.mqttUrl, count: shares[i], prefix: `idle${i}` }));
      await until(async () => (await health(hub)).mqtt.clients >= count, 30_000, `the hub to count ${count} clients`, 200);
      await sleep(SETTLE_MS);
      const justConnected = processStats(hub.pid).rssMb;
      await sleep(Math.max(0, quietSeconds * 1000 - SETTLE_MS));
      const rss = processStats(hub.pid).rssMb;
      return {
        connections: count,
        hubRssIdleMb: idle,
        hubRssJustConnectedMb: justConnected,
        hubRssConnectedMb: rss,
        quietSeconds,
        kbPerConnection: Math.round(((rss - idle) * 1024) / count),
      };
    } finally {
      await Promise.all(processes.map((g) => g.stop()));
    }
  });
}
