import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Generator } from '../lib/generator.js';
import { summarise, type Latency } from '../lib/stats.js';
import { sleep, withTimeout } from '../lib/time.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Baseline {
  broker: string;
  roundTrip: Latency;
}

/** A bare MQTT round trip through a bare broker on this machine: what every hub figure is compared with. */
export async function baseline(roundTrips: number): Promise<Baseline> {
  const { url, broker, stop } = await startBareBroker();
  const echo = new Generator('echo');
  try {
    await echo.ask({ url });
    const pinger = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    await pinger.subscribeAsync('bench/pong', { qos: 0 });
    let waiting: (() => void) | null = null;
    pinger.on('message', () => waiting?.());
    const samples: number[] = [];
    for (let i = 0; i < roundTrips; i++) {
      const start = performance.now();
      const pong = new Promise<void>((resolve) => (waiting = resolve));
      pinger.publish('bench/ping', String(i), { qos: 0 });
      await withTimeout(pong, 5_000, `round trip ${i}`);
      samples.push(performance.now() - start);
    }
    await pinger.endAsync();
    return { broker, roundTrip: summarise(samples) };
  } finally {
    await echo.stop();
    await stop();
  }
}

async function startBareBroker(): Promise<{ url: string; broker: string; stop: () => Promise<void> }> {
  if (existsSync(MOSQUITTO)) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-mosquitto-'));
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    await waitForPort(port);
    return {
      url: `mqtt://127.0.0.1:${port}`,
      broker: 'mosquitto',
      stop: async () => {
        child.kill('SIGTERM');
        await withTimeout(exited, 5_000, 'mosquitto to exit').catch(() => child.kill('SIGKILL'));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const generator = new Generator('broker');
  const { port } = await generator.ask<{ port: number }>({});
  return { url: `mqtt://127.0.0.1:${port}`, broker: 'aedes (bare)', stop: () => generator.stop() };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`broker did not open port ${port}`);
}
