import { LAMP_CONFIG } from '../../helpers/lamp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../../hub/protocol/device.js';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { LogTap } from '../../helpers/log-tap.js';
import { mosquittoPub } from '../../helpers/mosquitto-clients.js';
import { connectMqtt } from '../../helpers/mqtt.js';
import { waitForEvent } from '../../helpers/wait.js';

afterEach(stopAllHubs);

const json = { 'content-type': 'application/json' };


async function hubWithLamp() {
  const logs = new LogTap();
  const hub = await startHub({ mqttAnonymous: false, logs });
  const lamp = hub.app.deviceCredentials.create('Lamp');
  const evil = hub.app.deviceCredentials.create('Evil');
  const device = await connectMqtt(hub.mqttUrl, { username: lamp.username, password: lamp.password });
  await device.publishAsync('hearth/lamp/availability', 'online', { retain: true, qos: 1 });
  await device.publishAsync('homeassistant/light/lamp/light/config', JSON.stringify(LAMP_CONFIG), { retain: true, qos: 1 });
  await until(hub, 'lamp-0001', (d) => d.online);
  // The attacker publishes with the reference client, under its own discovery topics, which its ACL allows.
  const announceAsEvil = (object: string, config: object, component = 'light') =>
    mosquittoPub(hub.mqttUrl, `homeassistant/${component}/evil/${object}/config`, JSON.stringify(config), { retain: true, username: evil.username, password: evil.password });
  return { hub, logs, evil, announceAsEvil };
}

/** Resolves once `holds` is true of the registry, now or after a change. */
async function registryWhere(hub: TestHub, holds: () => boolean, what: string): Promise<void> {
  if (!holds()) await waitForEvent<unknown>((l) => hub.app.registry.subscribe(l), holds, what);
}

async function until(hub: TestHub, id: string, predicate: (d: Device) => boolean): Promise<Device> {
  const found = () => hub.app.registry.get(id);
  await registryWhere(hub, () => found() !== undefined && predicate(found()!), `device ${id}`);
  return found()!;
}

const problemsOf = (d: Device) => (d.source as { problems?: string[] }).problems ?? [];
const topicsOf = (d: Device) => (d.source as { topics: Record<string, string[]> }).topics;

describe('what a credential announces binds to it', () => {
  // Found in a review: an announcement whose device.identifiers named the lamp was merged into
  // it, and its author got the lamp's commands and set its state and availability. Home
  // Assistant's own MQTT discovery trusts the broker's ACLs; here the hub is that broker.
  it("refuses to merge another credential's announcement into the lamp, logs it and shows it on the lamp", async () => {
    const { hub, logs, evil, announceAsEvil } = await hubWithLamp();
    await announceAsEvil('light', {
      ...LAMP_CONFIG,
      state_topic: 'hearth/evil/state',
      command_topic: 'hearth/evil/set',
      availability_topic: 'hearth/evil/availability',
      unique_id: 'evil_light',
    });
    const line = await logs.next('announcement refused');
    expect(line).toMatchObject({ audit: true, publisher: 'evil', device: 'lamp-0001', topic: 'homeassistant/light/evil/light/config' });
    const lamp = await until(hub, 'lamp-0001', (d) => problemsOf(d).length > 0);
    expect(problemsOf(lamp)).toStrictEqual(["homeassistant/light/evil/light/config: refused: announced by MQTT user 'evil', but the device belongs to 'lamp'"]);
    expect(topicsOf(lamp)).toMatchObject({ discovery: ['homeassistant/light/lamp/light/config'], command: ['hearth/lamp/set'], availability: ['hearth/lamp/availability'] });

    // Its availability topic is not the lamp's: the attacker cannot mark it offline. A device of
    // its own, announced after on the same connection, says when the hub has read the word.
    const attacker = await connectMqtt(hub.mqttUrl, { username: evil.username, password: evil.password });
    await attacker.publishAsync('hearth/evil/availability', 'offline', { qos: 1 });
    await attacker.publishAsync('homeassistant/sensor/evil/marker/config', JSON.stringify({ state_topic: 'hearth/evil/m', unique_id: 'evil_marker' }), { qos: 1 });
    await until(hub, 'evil_marker', () => true);
    expect(hub.app.registry.get('lamp-0001')!.online).toBe(true);
    const sent = await hub.fetch(`${hub.httpUrl}/api/devices/lamp-0001/commands`, { method: 'POST', headers: json, body: '{"on":true}' });
    expect(sent.status).toBe(202);
    const { messages } = (await (await hub.fetch(`${hub.httpUrl}/api/devices/lamp-0001/messages`)).json()) as { messages: { direction: string; topic: string }[] };
    expect(messages.filter((m) => m.direction === 'out').map((m) => m.topic)).toStrictEqual(['hearth/lamp/set']);
  });

  it.each([
    ['command', { command_topic: 'hearth/lamp/set', state_topic: 'hearth/evil/lock' }, "command topic 'hearth/lamp/set'"],
    ['state', { command_topic: 'hearth/evil/lock/set', state_topic: 'hearth/lamp/state' }, "state or availability topic 'hearth/lamp/state'"],
    ['availability', { command_topic: 'hearth/evil/lock/set', state_topic: 'hearth/evil/lock', availability_topic: 'hearth/lamp/availability' }, "state or availability topic 'hearth/lamp/availability'"],
  ])("refuses a new device whose %s topic is another device's, showing why on it", async (_kind, topics, named) => {
    const { hub, logs, announceAsEvil } = await hubWithLamp();
    await announceAsEvil('lock', { name: null, unique_id: 'front_door_lock', device: { identifiers: ['front-door-lock'], name: 'Front door lock' }, ...topics }, 'switch');
    await logs.next('announcement refused');
    const lock = await until(hub, 'front-door-lock', () => true);
    expect(problemsOf(lock)).toStrictEqual([`homeassistant/switch/evil/lock/config: refused: names ${named}, which MQTT user 'evil' may not use`]);
    expect(lock.capabilities).toStrictEqual([]);
    expect(topicsOf(lock)).toMatchObject({ state: [], command: [], availability: [] });
    // Working the control makes the hub publish nothing, to the lamp's topic least of all.
    const sent = await hub.fetch(`${hub.httpUrl}/api/devices/front-door-lock/commands`, { method: 'POST', headers: json, body: '{"on":true}' });
    expect(sent.status).toBe(400);
    expect(hub.app.registry.get('lamp-0001')!.online).toBe(true);
  });

  it('still lets a credential announce, change and withdraw its own device', async () => {
    const { hub, evil, announceAsEvil } = await hubWithLamp();
    const own = { name: null, unique_id: 'evil_plug', state_topic: 'hearth/evil/plug', command_topic: 'hearth/evil/plug/set', device: { identifiers: ['evil-plug'], name: 'Plug' } };
    await announceAsEvil('plug', own, 'switch');
    const plug = await until(hub, 'evil-plug', (d) => d.capabilities.length > 0);
    expect(problemsOf(plug)).toStrictEqual([]);
    await announceAsEvil('plug', { ...own, device: { ...own.device, name: 'Kitchen plug' } }, 'switch');
    await until(hub, 'evil-plug', (d) => d.name === 'Kitchen plug');
    await mosquittoPub(hub.mqttUrl, 'homeassistant/switch/evil/plug/config', '', { retain: true, username: evil.username, password: evil.password });
    await registryWhere(hub, () => hub.app.registry.get('evil-plug') === undefined, 'the plug withdrawn');
  });
});
