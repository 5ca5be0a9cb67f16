/**
 * How many QoS 1 readings the broker acknowledged never reach history when the hub is killed
 * with SIGKILL: the bound README states. Sensors publish at a steady rate and note each
 * PUBACK; the hub is killed at a moment of the run, started again on the same data dir, and
 * every acknowledged reading is looked for in history.
 *
 *   npm run build && node dist/bench/acked-loss.js --rate 4000 --kills 5
 */
import mqtt, { type MqttClient } from 'mqtt';
import { parseArgs } from 'node:util';
import { startHub, type BenchHub } from './lib/hub.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, kills: { type: 'string', default: '3' }, sensors: { type: 'string', default: '40' } } });
const rate = Number(values.rate);
const sensorCount = Number(values.sensors);
const TICK_MS = 10;

interface Sensor {
  id: string;
  client: MqttClient;
  next: number;
  acked: number[];
}

async function connectSensor(hub: BenchHub, id: string): Promise<Sensor> {
  const client = mqtt.connect(hub.mqttUrl, { reconnectPeriod: 0 });
  client.on('error', () => {});
  await new Promise((resolve) => client.once('connect', resolve));
  const config = { name: 'Power', state_topic: `loss/${id}/state`, value_template: '{{ value_json.power }}', unique_id: `${id}_power`, device: { identifiers: [id], name: id } };
  await client.publishAsync(`homeassistant/sensor/${id}/power/config`, JSON.stringify(config), { qos: 1, retain: true });
  return { id, client, next: 1, acked: [] };
}

/** One run: sensors at `rate` in all, a kill after `runMs`, a restart, and the acknowledged readings not in history. */
async function oneKill(runMs: number): Promise<{ acked: number; lost: number }> {
  const first = await startHub({ dataDir: undefined });
  const dataDir = first.dataDir;
  const sensors = await Promise.all(Array.from({ length: sensorCount }, (_, i) => connectSensor(first, `s${i}`)));
  const perTick = (rate * TICK_MS) / 1000 / sensorCount;
  let owed = 0;
  const timer = setInterval(() => {
    owed += perTick;
    for (; owed >= 1; owed--) {
      for (const sensor of sensors) {
        const n = sensor.next++;
        sensor.client.publish(`loss/${sensor.id}/state`, `{"power":${n}}`, { qos: 1 }, (err) => {
          if (!err) sensor.acked.push(n);
        });
      }
    }
  }, TICK_MS);
  await new Promise((resolve) => setTimeout(resolve, runMs));
  process.kill(first.pid, 'SIGKILL');
  clearInterval(timer);
  for (const sensor of sensors) sensor.client.end(true);

  const again = await startHub({ dataDir, headers: first.headers });
  let acked = 0;
  let lost = 0;
  for (const sensor of sensors) {
    const response = await fetch(`${again.httpUrl}/api/devices/${sensor.id}/history?resolution=raw&from=0&property=power`, { headers: again.headers });
    const stored = new Set(((await response.json()) as { series: { power: [number, number][] } }).series.power.map(([, v]) => v));
    acked += sensor.acked.length;
    lost += sensor.acked.filter((n) => !stored.has(n)).length;
  }
  await again.stop();
  return { acked, lost };
}

const runs = [];
for (let k = 0; k < Number(values.kills); k++) {
  // A different moment of the commit cycle each time.
  const run = await oneKill(3000 + Math.round(Math.random() * 2000));
  runs.push(run);
  console.log(`kill ${k + 1}: ${run.acked} acknowledged, ${run.lost} not in history`);
}
const lost = runs.map((r) => r.lost);
console.log(`rate ${rate}/s, ${sensorCount} sensors: ${runs.reduce((n, r) => n + r.acked, 0)} acknowledged, ${lost.reduce((a, b) => a + b, 0)} lost, at most ${Math.max(...lost)} per kill`);
