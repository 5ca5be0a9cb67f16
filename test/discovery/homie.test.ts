import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt, nextMessage } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

/**
 * A Homie 4 device as the convention lays it out: retained attributes per device, node and
 * property (after the convention's own "super-car" example, with a dimmable light node added).
 */
const superCar: [string, string][] = [
  ['homie/super-car/$homie', '4.0.0'],
  ['homie/super-car/$name', 'Super car'],
  ['homie/super-car/$nodes', 'engine,lights'],
  ['homie/super-car/engine/$name', 'Car engine'],
  ['homie/super-car/engine/$type', 'V8'],
  ['homie/super-car/engine/$properties', 'temperature,running'],
  ['homie/super-car/engine/temperature/$name', 'Engine temperature'],
  ['homie/super-car/engine/temperature/$settable', 'false'],
  ['homie/super-car/engine/temperature/$unit', '°C'],
  ['homie/super-car/engine/temperature/$datatype', 'float'],
  ['homie/super-car/engine/temperature/$format', '-20:120'],
  ['homie/super-car/engine/running/$name', 'Running'],
  ['homie/super-car/engine/running/$datatype', 'boolean'],
  ['homie/super-car/lights/$name', 'Headlights'],
  ['homie/super-car/lights/$type', 'light'],
  ['homie/super-car/lights/$properties', 'power,intensity'],
  ['homie/super-car/lights/power/$name', 'Power'],
  ['homie/super-car/lights/power/$datatype', 'boolean'],
  ['homie/super-car/lights/power/$settable', 'true'],
  ['homie/super-car/lights/intensity/$name', 'Intensity'],
  ['homie/super-car/lights/intensity/$datatype', 'integer'],
  ['homie/super-car/lights/intensity/$format', '0:100'],
  ['homie/super-car/lights/intensity/$settable', 'true'],
];

async function announce(client: MqttClient, attributes: [string, string][]) {
  for (const [topic, message] of attributes) await client.publishAsync(topic, message, { retain: true, qos: 1 });
}

async function liveHub() {
  const hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl);
  await live.next('snapshot');
  return { hub, live };
}

describe('Homie', () => {
  it('builds one device from attributes in any order, with the right controls', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    // Shuffled: a broker hands retained attributes over in no particular order.
    await announce(device, [...superCar].reverse());
    const { device: car } = await live.next('device', (m) => m.device.capabilities.length === 4 && m.device.name === 'Super car');
    expect(car).toMatchObject({ id: 'super-car', name: 'Super car', kind: 'light', source: { protocol: 'homie' } });
    expect(car.capabilities).toStrictEqual([
      { type: 'switch', property: 'on', writable: true },
      { type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 },
      { type: 'sensor', property: 'temperature', writable: false, label: 'Engine temperature', unit: '°C' },
      { type: 'binarySensor', property: 'running', writable: false, label: 'Running' },
    ]);
    device.end(true);
    live.close();
  });

  it('follows $state, sends commands to /set exactly as Homie expects, and reads values', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    await announce(device, superCar);
    await device.publishAsync('homie/super-car/$state', 'ready', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === 'super-car' && m.online);
    await device.subscribeAsync('homie/super-car/lights/+/set');

    const power = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      device.on('message', (topic, payload, packet) => topic.endsWith('power/set') && resolve({ payload: payload.toString(), retain: packet.retain })),
    );
    const intensity = nextMessage(device, 'homie/super-car/lights/intensity/set');
    const response = await fetch(`${hub.httpUrl}/api/devices/super-car/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true,"brightness":128}' });
    expect(response.status).toBe(202);
    expect(await power).toStrictEqual({ payload: 'true', retain: false });
    expect(await intensity).toBe('50');

    await device.publishAsync('homie/super-car/lights/power', 'true', { retain: true });
    await device.publishAsync('homie/super-car/engine/temperature', '87.5', { retain: true });
    await live.next('state', (m) => m.state.temperature === 87.5);
    await device.publishAsync('homie/super-car/$state', 'lost', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === 'super-car' && !m.online);
    device.end(true);
    live.close();
  });

  it('refuses a boolean that is not exactly true or false, and reads an empty Homie 5 value as no value', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    const description = {
      homie: '5.0',
      name: 'Balcony',
      version: 1,
      nodes: { climate: { name: 'Climate', properties: { temperature: { datatype: 'float', unit: '°C' }, door: { datatype: 'boolean' } } } },
    };
    await device.publishAsync('homie/5/balcony/$description', JSON.stringify(description), { retain: true, qos: 1 });
    await live.next('device', (m) => m.device.id === 'balcony');
    await device.publishAsync('homie/5/balcony/climate/door', 'True');
    await device.publishAsync('homie/5/balcony/climate/temperature', '\u0000');
    const state = await live.next('state', (m) => m.id === 'balcony');
    expect(state.state).toStrictEqual({ temperature: null });
    const health = (await (await fetch(`${hub.httpUrl}/api/health`)).json()) as { bridge: { rejectedPayloads: number } };
    expect(health.bridge.rejectedPayloads).toBe(1);
    device.end(true);
    live.close();
  });

  it('is picked up from the reference mosquitto_pub client too', async () => {
    const { hub, live } = await liveHub();
    for (const [topic, message] of superCar.slice(0, 12)) await mosquittoPub(hub.mqttUrl, topic, message, { retain: true });
    const { device } = await live.next('device', (m) => m.device.id === 'super-car' && m.device.capabilities.length === 2);
    expect(device.capabilities.map((c) => c.property)).toStrictEqual(['temperature', 'running']);
    live.close();
  });
});
