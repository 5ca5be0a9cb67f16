import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { kitchenLightV4, superCarV4, type Message } from './homie-spec.js';

afterEach(stopAllHubs);

/** Attribute messages only: values and `$state` are sent by each test when it wants them. */
const attributes = (messages: Message[]) => messages.filter(([topic]) => topic.split('/').at(-1)!.startsWith('$') && !topic.endsWith('/$state'));

/**
 * The spec super-car with the `lights` node its "Topology" section describes: "The lights
 * node might expose an intensity and a color property" (their attributes are ours).
 */
const superCar: Message[] = [
  ...attributes(superCarV4),
  ['homie/super-car/lights/$name', 'Lights'],
  ['homie/super-car/lights/$type', 'light'],
  ['homie/super-car/lights/$properties', 'intensity,color'],
  ['homie/super-car/lights/intensity/$name', 'Intensity'],
  ['homie/super-car/lights/intensity/$datatype', 'integer'],
  ['homie/super-car/lights/intensity/$format', '0:100'],
  ['homie/super-car/lights/intensity/$settable', 'true'],
  ['homie/super-car/lights/color/$name', 'Colour'],
  ['homie/super-car/lights/color/$datatype', 'color'],
  ['homie/super-car/lights/color/$format', 'rgb'],
  ['homie/super-car/lights/color/$settable', 'true'],
];
const kitchenLight = attributes(kitchenLightV4);

async function publish(client: MqttClient, messages: Message[]) {
  for (const [topic, message] of messages) await client.publishAsync(topic, message, { retain: true, qos: 1 });
}

async function liveHub() {
  const hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  return { hub, live };
}

/** The next message on a topic the client subscribed to, with its retain flag. */
function nextPublish(client: MqttClient, topic: string): Promise<{ payload: string; retain: boolean }> {
  return new Promise((resolve) => {
    const handler = (t: string, payload: Buffer, packet: { retain: boolean }) => {
      if (t !== topic) return;
      client.off('message', handler);
      resolve({ payload: payload.toString(), retain: packet.retain });
    };
    client.on('message', handler);
  });
}

const command = (hub: TestHub, id: string, body: object) =>
  hub.fetch(`${hub.httpUrl}/api/devices/${id}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const health = async (hub: TestHub) => (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { status: string; bridge: { rejectedPayloads: number; rejectedDiscovery: number } };

describe('Homie, end to end', () => {
  it('builds one light from attributes in any order, follows $state, and drives it through /set', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    // Shuffled: a broker hands retained attributes over in no particular order.
    await publish(device, [...superCar].reverse());
    const { device: car } = await live.next('device', (m) => m.device.capabilities.length === 3 && m.device.name === 'Super car');
    expect(car).toMatchObject({ id: 'super-car', name: 'Super car', kind: 'light', online: false, source: { protocol: 'homie', problems: [] } });
    expect(car.capabilities).toStrictEqual([
      { type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 },
      { type: 'color', property: 'color', writable: true },
      { type: 'sensor', property: 'temperature', writable: false, label: 'Engine temperature', unit: '°C' },
    ]);

    await device.publishAsync('homie/super-car/$state', 'ready', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === 'super-car' && m.online);
    await device.subscribeAsync('homie/super-car/lights/+/set');
    const intensity = nextPublish(device, 'homie/super-car/lights/intensity/set');
    const color = nextPublish(device, 'homie/super-car/lights/color/set');
    expect((await command(hub, 'super-car', { brightness: 128, color: { r: 255, g: 0, b: 0 } })).status).toBe(202);
    expect(await intensity).toStrictEqual({ payload: '50', retain: false });
    expect(await color).toStrictEqual({ payload: '255,0,0', retain: false });

    await device.publishAsync('homie/super-car/lights/intensity', '50', { retain: true, qos: 1 });
    await device.publishAsync('homie/super-car/engine/temperature', '21.5', { retain: true, qos: 1 });
    await live.next('state', (m) => m.id === 'super-car' && m.state.temperature === 21.5 && m.state.brightness === 128);
    await device.publishAsync('homie/super-car/$state', 'lost', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === 'super-car' && !m.online);
    device.end(true);
    live.close();
  });

  it('switches the spec kitchen-light: {"on": true} is exactly `true` on power/set, not retained', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    await publish(device, [...kitchenLight, ['homie/kitchen-light/$state', 'ready']]);
    const { device: light } = await live.next('device', (m) => m.device.id === 'kitchen-light' && m.device.kind === 'light');
    expect(light).toMatchObject({ name: 'Kitchen light', capabilities: [{ type: 'switch', property: 'on', writable: true }] });
    await live.next('availability', (m) => m.id === 'kitchen-light' && m.online);

    await device.subscribeAsync('homie/kitchen-light/#');
    const set = nextPublish(device, 'homie/kitchen-light/light/power/set');
    expect((await command(hub, 'kitchen-light', { on: true })).status).toBe(202);
    expect(await set).toStrictEqual({ payload: 'true', retain: false });
    // The device closes the loop on its property topic, as the spec's example does.
    await device.publishAsync('homie/kitchen-light/light/power', 'true', { retain: true, qos: 1 });
    const state = await live.next('state', (m) => m.id === 'kitchen-light');
    expect(state.state).toStrictEqual({ on: true });
    device.end(true);
    live.close();
  });

  it('is picked up from the reference mosquitto_pub client too', async () => {
    const { hub, live } = await liveHub();
    for (const [topic, message] of [...kitchenLight, ['homie/kitchen-light/$state', 'ready'] as Message]) {
      await mosquittoPub(hub.mqttUrl, topic, message, { retain: true });
    }
    const { device } = await live.next('device', (m) => m.device.id === 'kitchen-light' && m.device.kind === 'light');
    expect(device).toMatchObject({ name: 'Kitchen light', capabilities: [{ type: 'switch', property: 'on', writable: true }], source: { protocol: 'homie' } });
    await live.next('availability', (m) => m.id === 'kitchen-light' && m.online);
    await mosquittoPub(hub.mqttUrl, 'homie/kitchen-light/$state', 'lost', { retain: true });
    await live.next('availability', (m) => m.id === 'kitchen-light' && !m.online);
    live.close();
  });

  it('refuses malformed attributes with a reason, counts them, and keeps running', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    await publish(device, kitchenLight);
    await live.next('device', (m) => m.device.id === 'kitchen-light');
    await publish(device, [
      ['homie/kitchen-light/light/power/$settable', 'yes'],
      ['homie/kitchen-light/light/power/$datatype', 'bool'],
      ['homie/kitchen-light/$nodes', 'light,lamps[]'],
      ['homie/5/garage/$description', '{"homie": "5.0", "name": '],
    ]);
    // Messages from one client are handled in order: once this name shows, the rest was read.
    await device.publishAsync('homie/kitchen-light/$name', 'Kitchen', { retain: true, qos: 1 });
    const { device: light } = await live.next('device', (m) => m.device.id === 'kitchen-light' && m.device.name === 'Kitchen');
    expect(light.capabilities).toStrictEqual([{ type: 'switch', property: 'on', writable: true }]);
    expect(await health(hub)).toMatchObject({ status: 'ok', bridge: { rejectedDiscovery: 4 } });
    device.end(true);
    live.close();
  });

  it('reads a Homie 5 device: case-sensitive booleans and the 0x00 empty string', async () => {
    const { hub, live } = await liveHub();
    const device = await connectMqtt(hub.mqttUrl);
    const description = {
      homie: '5.0',
      name: 'Balcony',
      version: 1,
      nodes: { climate: { name: 'Climate', properties: { door: { datatype: 'boolean' }, note: { datatype: 'string' } } } },
    };
    await device.publishAsync('homie/5/balcony/$description', JSON.stringify(description), { retain: true, qos: 1 });
    await live.next('device', (m) => m.device.id === 'balcony');
    await device.publishAsync('homie/5/balcony/climate/door', 'True', { qos: 1 });
    await device.publishAsync('homie/5/balcony/climate/note', '\u0000', { qos: 1 });
    const state = await live.next('state', (m) => m.id === 'balcony');
    expect(state.state).toStrictEqual({ note: '' });
    expect((await health(hub)).bridge.rejectedPayloads).toBe(1);
    device.end(true);
    live.close();
  });
});
