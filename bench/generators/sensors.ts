import mqtt, { type MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { serve } from '../lib/generator.js';
import { clock, sleep } from '../lib/time.js';

/**
 * Sensors whose reading is their own send time (milliseconds since the bench's epoch, to
 * the microsecond), so a dashboard that receives the state knows how long it took. Each
 * sensor's readings strictly increase: every message is a real change the hub must keep in
 * its history, never an unchanged report it could skip.
 */
interface Sensor {
  client: MqttClient;
  topic: string;
  last: number;
}

let sensors: Sensor[] = [];
let epoch = 0;
const CONNECT_BATCH = 100;
const TICK_MS = 10;

async function start(url: string, count: number, prefix: string): Promise<number> {
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    const ids = Array.from({ length: Math.min(CONNECT_BATCH, count - i) }, (_, k) => `${prefix}-${i + k}`);
    const batch = ids.map(async (id): Promise<Sensor> => {
      const client = await mqtt.connectAsync(url, { clientId: id, reconnectPeriod: 0, keepalive: 300 });
      const topic = `bench/${id}`;
      const config = { name: 'Sent', stat_t: topic, val_tpl: '{{ value_json.t }}', unit_of_meas: 'ms', dev: { ids: [id], name: id } };
      await client.publishAsync(`homeassistant/sensor/${id}/t/config`, JSON.stringify(config), { qos: 1, retain: true });
      return { client, topic, last: 0 };
    });
    sensors.push(...(await Promise.all(batch)));
  }
  return sensors.length;
}

function nextReading(sensor: Sensor): string {
  sensor.last = Math.max(Math.round((clock() - epoch) * 1000) / 1000, sensor.last + 0.001);
  return `{"t":${sensor.last.toFixed(3)}}`;
}

/**
 * A QoS 0 reading written as one encoded PUBLISH on the sensor's connection, as a device's
 * small firmware client sends it. MQTT.js's own publish path costs this process about
 * 30 µs a message, which on a small machine is CPU taken from the hub being measured.
 */
function send(sensor: Sensor): void {
  sensor.client.stream.write(generate({ cmd: 'publish', topic: sensor.topic, payload: nextReading(sensor), qos: 0, retain: false, dup: false }));
}

function publishAcknowledged(sensor: Sensor): Promise<void> {
  return new Promise((resolve) => sensor.client.publish(sensor.topic, nextReading(sensor), { qos: 1 }, () => resolve()));
}

/**
 * Each sensor `perSecond` times a second, spread evenly. Open loop: what fell behind is sent
 * at the next tick, so a slow hub shows as latency instead of quietly lowering the load.
 */
async function paced(seconds: number, perSecond: number): Promise<number> {
  const rate = sensors.length * perSecond;
  const started = Date.now();
  const end = started + seconds * 1000;
  let sent = 0;
  let index = 0;
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    for (; sent < due; sent++) send(sensors[index++ % sensors.length]!);
    await sleep(TICK_MS);
  }
  return sent;
}

/**
 * Every sensor as fast as the hub takes it: QoS 1, the next reading once the last is
 * acknowledged. With QoS 0 nothing holds a flood back, and the backlog grows without bound in
 * socket buffers (seconds of it) instead of measuring what the hub sustains.
 */
async function flatOut(seconds: number): Promise<number> {
  let sent = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    sensors.map(async (s) => {
      while (Date.now() < end) {
        await publishAcknowledged(s);
        sent++;
      }
    }),
  );
  return sent;
}

serve(async (request) => {
  if (request.cmd === 'start') {
    epoch = request.epoch as number;
    return { ready: await start(request.url as string, request.count as number, request.prefix as string) };
  }
  if (request.cmd === 'paced') return { sent: await paced(request.seconds as number, request.perSecond as number) };
  if (request.cmd === 'flat') return { sent: await flatOut(request.seconds as number) };
  throw new Error(`unknown command ${String(request.cmd)}`);
});
