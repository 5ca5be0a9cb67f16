import WebSocket from 'ws';
import { serve } from '../lib/generator.js';
import { Histogram } from '../lib/stats.js';
import { clock, withTimeout } from '../lib/time.js';

/**
 * Dashboards: WebSocket clients of the hub that count what each receives and, for readings
 * that carry their send time (see sensors.ts), how long each took from the sensor. Every
 * delivery is counted in the histogram, not a sample of them.
 */
let sockets: WebSocket[] = [];
let received: number[] = [];
let latency = new Histogram();
/** Per reading (its send time): how many dashboards got it and the slowest of them. */
let perReading = new Map<number, { deliveries: number; slowestMs: number }>();
let trackReadings = false;
let epoch = 0;
const OPEN_TIMEOUT_MS = 30_000;
const OPEN_BATCH = 100;
// The reading is the first property of a sensor's state. Found in the frame's bytes and
// only its digits decoded: ten dashboards take 200,000 messages a second at 20,000
// readings/s, and on a small machine what this process spends is taken from the hub.
const READING = Buffer.from('"state":{"t":');
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

function readingOf(data: Buffer): number | null {
  const start = data.indexOf(READING);
  if (start === -1) return null;
  let end = start + READING.length;
  while (end < data.length && ((data[end]! >= ZERO && data[end]! <= NINE) || data[end] === DOT)) end++;
  return Number(data.toString('latin1', start + READING.length, end));
}

function open(url: string, headers: Record<string, string>, index: number): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false, headers });
  const count = (data: Buffer) => {
    received[index]!++;
    const sent = readingOf(data);
    if (sent === null) return;
    const ms = clock() - epoch - sent;
    latency.add(ms);
    if (!trackReadings) return;
    const reading = perReading.get(sent) ?? { deliveries: 0, slowestMs: 0 };
    reading.deliveries++;
    reading.slowestMs = Math.max(reading.slowestMs, ms);
    perReading.set(sent, reading);
  };
  // Ready once the snapshot is in: from then on every event reaches this client, and is counted.
  const ready = new Promise<WebSocket>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('message', () => {
      socket.on('message', count);
      resolve(socket);
    });
  });
  return withTimeout(ready, OPEN_TIMEOUT_MS, 'a dashboard snapshot');
}

serve(async (request) => {
  if (request.cmd === 'open') {
    const count = request.count as number;
    epoch = request.epoch as number;
    for (let i = 0; i < count; i += OPEN_BATCH) {
      const batch = Array.from({ length: Math.min(OPEN_BATCH, count - i) }, () => {
        received.push(0);
        return open(request.url as string, request.headers as Record<string, string>, received.length - 1);
      });
      sockets.push(...(await Promise.all(batch)));
    }
    return { open: sockets.length };
  }
  // Counts run from the snapshot on; a reset starts a new latency window.
  if (request.cmd === 'reset') {
    latency = new Histogram();
    perReading = new Map();
    trackReadings = request.trackReadings === true;
    return {};
  }
  if (request.cmd === 'report') {
    return {
      received: received.reduce((a, b) => a + b, 0),
      leastReceived: Math.min(...received),
      latency: latency.toJSON(),
      readings: trackReadings ? [...perReading] : [],
    };
  }
  throw new Error(`unknown command ${String(request.cmd)}`);
});
