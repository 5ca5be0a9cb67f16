/**
 * `npm run build && node dist/bench/automation-latency.js [rounds]`: how long a motion sensor's
 * report takes to become a command at a light, through a real hub process (its embedded broker,
 * Home Assistant discovery, an automation "motion detected: light on", "no motion: light off").
 * Measured from the sensor's PUBLISH to the light receiving its command, and to the run's
 * finished trace (the light's confirmation included) on a dashboard's WebSocket.
 */
import mqtt from 'mqtt';
import WebSocket from 'ws';
import type { ServerMessage } from '../hub/protocol/messages.js';
import { withHub } from './lib/hub.js';
import { summarise } from './lib/stats.js';

const rounds = Number(process.argv[2] ?? 200);

const result = await withHub(async (hub) => {
  const post = (path: string, body: unknown) => fetch(`${hub.httpUrl}${path}`, { method: 'POST', headers: { ...hub.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const light = await mqtt.connectAsync(hub.mqttUrl);
  const sensor = await mqtt.connectAsync(hub.mqttUrl);
  const socket = new WebSocket(hub.wsUrl, { headers: hub.headers });
  let finished: (() => void) | null = null;
  let sensorKnown: (() => void) | null = null;
  const known = new Promise<void>((resolve) => (sensorKnown = resolve));
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'trace' && message.trace.result !== 'running') finished?.();
    if (message.type === 'state' && message.id === 'pir') sensorKnown?.();
  });
  await new Promise((resolve) => socket.once('open', resolve));
  let commanded: (() => void) | null = null;
  await light.subscribeAsync('plain/light/set');
  light.on('message', (_topic, payload) => {
    commanded?.();
    void light.publishAsync('plain/light/state', payload.toString());
  });
  const device = (id: string) => ({ identifiers: [id], name: id });
  await light.publishAsync('homeassistant/switch/light/switch/config', JSON.stringify({ name: null, state_topic: 'plain/light/state', command_topic: 'plain/light/set', unique_id: 'light_switch', device: device('light') }), { qos: 1 });
  await sensor.publishAsync('homeassistant/binary_sensor/pir/motion/config', JSON.stringify({ name: 'Motion', state_topic: 'plain/pir/state', device_class: 'motion', payload_on: 'ON', payload_off: 'OFF', unique_id: 'pir_motion', device: device('pir') }), { qos: 1 });
  await sensor.publishAsync('plain/pir/state', 'OFF', { qos: 1 });
  await known;
  for (const on of [true, false]) {
    const made = await post('/api/automations', {
      name: `light ${on ? 'on' : 'off'}`,
      mode: 'queued',
      triggers: [{ kind: 'state', device: 'pir', property: 'motion', to: on }],
      conditions: [],
      actions: [{ kind: 'command', device: 'light', command: { on } }],
    });
    if (made.status !== 201) throw new Error(`automation refused: ${await made.text()}`);
  }
  const toCommand: number[] = [];
  const toTrace: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const command = new Promise<void>((resolve) => (commanded = resolve));
    const trace = new Promise<void>((resolve) => (finished = resolve));
    await sensor.publishAsync('plain/pir/state', i % 2 === 0 ? 'ON' : 'OFF', { qos: 0 });
    await command;
    toCommand.push(performance.now() - start);
    await trace;
    toTrace.push(performance.now() - start);
  }
  socket.close();
  await Promise.all([light.endAsync(), sensor.endAsync()]);
  return { rounds, sensorToCommandMs: summarise(toCommand), sensorToFinishedTraceMs: summarise(toTrace) };
  // Two hundred runs a minute would be stopped by the loop guard, which is not what is measured.
}, { args: ['--automation-loop-limit', '1000000'] });
console.log(JSON.stringify(result, null, 2));
