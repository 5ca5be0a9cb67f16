import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kinds, kindNames, type KindName } from '../../devices/models/index.js';
import { seededRandom } from '../../devices/random.js';
import { SimulatedDevice } from '../../devices/simulated-device.js';
import { Observer, startBroker, type TestBroker } from './broker.js';

let broker: TestBroker;
const devices: SimulatedDevice[] = [];
const observers: Observer[] = [];

beforeEach(async () => {
  broker = await startBroker();
});

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.stop()));
  await Promise.all(observers.splice(0).map((o) => o.close()));
  await broker.close();
});

async function startDevice(kind: KindName, id = `test-${kind}`, reconnectPeriod = 0): Promise<SimulatedDevice> {
  const device = new SimulatedDevice({
    url: broker.url,
    id,
    name: `Test ${kind}`,
    kind,
    tickMs: 0,
    clock: () => 1_000_000,
    random: seededRandom(7),
    mqttOptions: { reconnectPeriod },
  });
  devices.push(device);
  await device.start();
  return device;
}

async function observe(...topics: string[]): Promise<Observer> {
  const observer = await Observer.connect(broker.url, topics);
  observers.push(observer);
  return observer;
}

const json = (text: string): unknown => JSON.parse(text);

describe('a simulated device on MQTT', () => {
  it.each(kindNames)('a %s leaves retained discovery configs and online behind', async (kind) => {
    await startDevice(kind, 'd1');
    const observer = await observe('homeassistant/#', 'hearth/d1/availability');
    for (const { topic, config } of kinds[kind].discoveryConfigs('d1', `Test ${kind}`)) {
      const message = await observer.next(topic);
      expect(message.retain).toBe(true);
      expect(json(message.text)).toStrictEqual(config);
    }
    expect(await observer.next('hearth/d1/availability')).toStrictEqual({ topic: 'hearth/d1/availability', text: 'online', retain: true });
  });

  it('announces every entity before it says online, and online before its first state', async () => {
    const observer = await observe('homeassistant/#', 'hearth/plug/#');
    await startDevice('plug', 'plug');
    await observer.next('hearth/plug/state');
    const topics = observer.received.map((m) => m.topic);
    const discovery = kinds.plug.discoveryConfigs('plug', 'Test plug').map((m) => m.topic);
    expect(topics.slice(0, 3).sort()).toStrictEqual(discovery.sort());
    expect(topics.slice(3)).toStrictEqual(['hearth/plug/availability', 'hearth/plug/state']);
  });

  it('applies a command and publishes its whole state, also when nothing changed', async () => {
    const observer = await observe('hearth/lamp/state');
    const device = await startDevice('color-light', 'lamp');
    const command = once(device, 'command');
    await observer.client.publishAsync('hearth/lamp/set', '{"brightness":128,"color_temp":370}');
    expect(json((await observer.next('hearth/lamp/state', (m) => m.text.includes('"brightness":128'))).text)).toStrictEqual({
      state: 'ON',
      brightness: 128,
      color_mode: 'color_temp',
      color_temp: 370,
      color: expect.any(Object),
    });
    expect(await command).toStrictEqual([{ brightness: 128, color_temp: 370 }]);

    const before = observer.all('hearth/lamp/state').length;
    await observer.client.publishAsync('hearth/lamp/set', '{"state":"ON"}');
    const again = await observer.next('hearth/lamp/state', (m) => observer.all('hearth/lamp/state').indexOf(m) >= before);
    expect(json(again.text)).toMatchObject({ state: 'ON', brightness: 128, color_temp: 370 });
  });

  it('ignores and counts commands it cannot use, and keeps working', async () => {
    const observer = await observe('hearth/plug/state');
    const device = await startDevice('plug', 'plug');
    const rejections: string[] = [];
    device.on('rejected', (reason) => rejections.push(reason));
    for (const bad of ['not json', '{"state":42}', '[]', '']) await observer.client.publishAsync('hearth/plug/set', bad);
    await observer.client.publishAsync('hearth/plug/set', '{"state":"OFF"}');
    // MQTT keeps order on one connection, so the refusals came before this report.
    await observer.next('hearth/plug/state', (m) => (json(m.text) as { power: number }).power === 0);
    expect(device.rejectedCommands).toBe(4);
    expect(rejections).toStrictEqual(['command is not JSON', 'state must be ON, OFF or TOGGLE', 'command must be a JSON object', 'command is not JSON']);
  });

  it('publishes sensor readings on every tick, and a light only when it changes', async () => {
    const observer = await observe('hearth/+/state');
    const sensor = await startDevice('climate-sensor', 'climate');
    const light = await startDevice('onoff-light', 'light');
    const published: string[] = [];
    sensor.on('state', () => published.push('climate'));
    light.on('state', () => published.push('light'));
    await sensor.tick();
    await light.tick();
    expect(published).toStrictEqual(['climate']);
    await observer.next('hearth/climate/state');
  });

  it('lets the broker publish its last will, offline, when it crashes', async () => {
    const device = await startDevice('door-sensor', 'door');
    const observer = await observe('hearth/door/availability');
    await observer.next('hearth/door/availability', (m) => m.text === 'online');
    device.crash();
    expect((await observer.next('hearth/door/availability')).text).toBe('offline');
    const later = await observe('hearth/door/availability');
    expect(await later.next('hearth/door/availability')).toMatchObject({ text: 'offline', retain: true });
  });

  it('says offline itself when stopped', async () => {
    const device = await startDevice('motion-sensor', 'motion');
    await device.stop();
    const observer = await observe('hearth/motion/availability');
    expect(await observer.next('hearth/motion/availability')).toMatchObject({ text: 'offline', retain: true });
  });

  it('announces itself again when Home Assistant (or the hub) comes online', async () => {
    await startDevice('dimmable-light', 'lamp');
    const observer = await observe('homeassistant/light/lamp/light/config', 'hearth/lamp/#');
    await observer.next('homeassistant/light/lamp/light/config', (m) => m.retain);
    await observer.client.publishAsync('homeassistant/status', 'online');
    // [MQTT-3.3.1-9] a message forwarded to an existing subscription is not flagged retained.
    await observer.next('homeassistant/light/lamp/light/config', (m) => !m.retain);
    await observer.next('hearth/lamp/availability', (m) => m.text === 'online' && !m.retain);
    await observer.next('hearth/lamp/state');
  });

  it('reconnects after losing the broker, says online again, and obeys a command sent the moment it is', async () => {
    const device = await startDevice('plug', 'plug', 50);
    const observer = await observe('hearth/plug/availability');
    await observer.next('hearth/plug/availability', (m) => m.text === 'online');
    broker.drop('hearth-sim-plug');
    await observer.next('hearth/plug/availability', (m) => m.text === 'offline');
    const commands = new Promise((resolve) => device.once('command', resolve));
    // As a hub does: the command goes out the moment the device is seen online again.
    await observer.next('hearth/plug/availability', (m) => m.text === 'online' && observer.all('hearth/plug/availability').indexOf(m) > 1);
    await observer.client.publishAsync('hearth/plug/set', '{"state":"ON"}');
    expect(await commands).toStrictEqual({ state: 'ON' });
    expect(device.connected).toBe(true);
  });

  it('fails to start when no broker is there', async () => {
    await broker.close();
    const device = new SimulatedDevice({ url: broker.url, id: 'x', name: 'X', kind: 'plug', tickMs: 0 });
    await expect(device.start()).rejects.toThrow(/ECONNREFUSED|closed/);
    broker = await startBroker();
  });
});
