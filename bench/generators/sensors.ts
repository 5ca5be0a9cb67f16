import mqtt, { type MqttClient } from 'mqtt';
import { serve } from '../lib/generator.js';

/**
 * Sensors that report their own send time as the reading, so whoever receives the state
 * knows how long it took to get there (same machine, same clock).
 */
let clients: { client: MqttClient; topic: string }[] = [];

async function start(url: string, count: number, prefix: string): Promise<number> {
  const batch = 100;
  for (let i = 0; i < count; i += batch) {
    const ids = Array.from({ length: Math.min(batch, count - i) }, (_, k) => `${prefix}-${i + k}`);
    clients.push(
      ...(await Promise.all(
        ids.map(async (id) => {
          const client = await mqtt.connectAsync(url, { clientId: id, reconnectPeriod: 0 });
          const topic = `bench/${id}`;
          const config = { name: 'Sent', stat_t: topic, val_tpl: '{{ value_json.t }}', unit_of_meas: 'ms', dev: { ids: [id], name: id } };
          await client.publishAsync(`homeassistant/sensor/${id}/t/config`, JSON.stringify(config), { qos: 1, retain: true });
          return { client, topic };
        }),
      )),
    );
  }
  return clients.length;
}

const publish = (c: { client: MqttClient; topic: string }) =>
  new Promise<void>((resolve) => c.client.publish(c.topic, `{"t":${Date.now()}}`, { qos: 0 }, () => resolve()));

/** Each sensor once a second, spread evenly over the second. */
async function paced(seconds: number): Promise<number> {
  let sent = 0;
  const end = Date.now() + seconds * 1000;
  const perTick = Math.max(1, Math.round(clients.length / 100));
  let index = 0;
  while (Date.now() < end) {
    const tickEnd = Date.now() + 10;
    for (let k = 0; k < perTick; k++) {
      void publish(clients[index++ % clients.length]!);
      sent++;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, tickEnd - Date.now())));
  }
  return sent;
}

/** Every sensor as fast as its connection takes it. */
async function flatOut(seconds: number): Promise<number> {
  let sent = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (Date.now() < end) {
        await publish(c);
        sent++;
      }
    }),
  );
  return sent;
}

serve(async (request) => {
  if (request.cmd === 'start') return { ready: await start(request.url as string, request.count as number, request.prefix as string) };
  if (request.cmd === 'paced') return { sent: await paced(request.seconds as number) };
  if (request.cmd === 'flat') return { sent: await flatOut(request.seconds as number) };
  if (request.cmd === 'stop') {
    await Promise.all(clients.map((c) => c.client.endAsync()));
    clients = [];
    return {};
  }
  throw new Error(`unknown command ${String(request.cmd)}`);
});
