import { Generator } from '../lib/generator.js';
import { startHub } from '../lib/hub.js';
import { processStats } from '../lib/process-stats.js';

export interface ConnectionsResult {
  connections: number;
  hubRssIdleMb: number;
  hubRssConnectedMb: number;
  kbPerConnection: number;
}

const PER_PROCESS = 2500;

/** Many devices connected and quiet: what each costs the hub in memory. */
export async function connections(count: number): Promise<ConnectionsResult> {
  const hub = await startHub();
  const processes = Array.from({ length: Math.ceil(count / PER_PROCESS) }, () => new Generator('idle'));
  try {
    if (global.gc) global.gc();
    const idle = processStats(hub.pid).rssMb;
    const replies = await Promise.all(
      processes.map((g, i) => g.ask<{ connected: number }>({ url: hub.mqttUrl, count: Math.min(PER_PROCESS, count - i * PER_PROCESS), prefix: `idle${i}` })),
    );
    const connected = replies.reduce((s, r) => s + r.connected, 0);
    const rss = processStats(hub.pid).rssMb;
    return { connections: connected, hubRssIdleMb: idle, hubRssConnectedMb: rss, kbPerConnection: Math.round(((rss - idle) * 1024) / connected) };
  } finally {
    await Promise.all(processes.map((g) => g.stop()));
    await hub.stop();
  }
}
