import WebSocket from 'ws';
import { serve } from '../lib/generator.js';
import { summarise } from '../lib/stats.js';

/**
 * Dashboards: WebSocket clients of the hub that count what they receive and, for readings
 * that carry their send time, how long they took from the sensor.
 */
let sockets: WebSocket[] = [];
let received = 0;
let latencies: number[] = [];
const MAX_SAMPLES = 200_000;

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('error', reject);
    socket.on('message', (data) => {
      received++;
      const text = data.toString();
      // Cheap check first: most messages are state reports with a `t` reading.
      const at = text.indexOf('"t":');
      if (at === -1 || latencies.length >= MAX_SAMPLES) return;
      const message = JSON.parse(text) as { type: string; state?: { t?: number } };
      if (message.type === 'state' && typeof message.state?.t === 'number') latencies.push(Date.now() - message.state.t);
    });
    // Ready once the snapshot is in: from then on every event reaches this client.
    socket.once('message', () => resolve(socket));
  });
}

serve(async (request) => {
  if (request.cmd === 'open') {
    const count = request.count as number;
    for (let i = 0; i < count; i += 100) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => open(request.url as string)))));
    }
    return { open: sockets.length };
  }
  if (request.cmd === 'reset') {
    received = 0;
    latencies = [];
    return {};
  }
  if (request.cmd === 'report') return { received, latency: summarise(latencies) };
  if (request.cmd === 'close') {
    sockets.forEach((s) => s.close());
    sockets = [];
    return {};
  }
  throw new Error(`unknown command ${String(request.cmd)}`);
});
