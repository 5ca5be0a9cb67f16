import mqtt from 'mqtt';
import { Generator } from '../lib/generator.js';
import { mosquittoInstalled, startMosquitto } from '../lib/mosquitto.js';
import { summarise, type Latency } from '../lib/stats.js';
import { withTimeout } from '../lib/time.js';

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
  if (mosquittoInstalled()) return { ...(await startMosquitto()), broker: 'mosquitto' };
  const generator = new Generator('broker');
  const { port } = await generator.ask<{ port: number }>({});
  return { url: `mqtt://127.0.0.1:${port}`, broker: 'aedes (bare)', stop: () => generator.stop() };
}
