import mqtt, { type IConnackPacket, type IClientOptions } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerOfClientId } from '../../../hub/mqtt/client-ids.js';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectMqtt, nextMessage } from '../../helpers/mqtt.js';

/**
 * A credential owns its client ids (issue #17, finding 4): before, any credential could
 * connect under the lamp's id, kicking it off ten times in 10 s, and with clean session off
 * receive the lamp's queued QoS 1 command. Mosquitto's dynamic security does the same with
 * a client's fixed `clientid` (eclipse/mosquitto test/broker/14-dynsec-client.py).
 */
describe('ownerOfClientId', () => {
  const usernames = new Set(['lamp', 'lamp-2', 'kitchen-plug']);
  it.each<[string, string | null]>([
    ['lamp', 'lamp'],
    ['lamp-bedroom', 'lamp'],
    ['lamp-2', 'lamp-2'],
    ['lamp-2-x', 'lamp-2'],
    ['lamp2', null],
    ['kitchen-plug-1', 'kitchen-plug'],
    ['kitchen', null],
    ['mqttjs_1a2b', null],
    ['-'.repeat(1000), null],
  ])('gives %s to %s', (clientId, owner) => {
    expect(ownerOfClientId(clientId, (name) => usernames.has(name))).toBe(owner);
  });
});

let hub: TestHub;
const passwords = new Map<string, string>();

beforeAll(async () => {
  hub = await startHub({ mqttAnonymous: true });
  for (const name of ['Lamp', 'Intruder']) {
    const { username, password } = hub.app.deviceCredentials.create(name);
    passwords.set(username, password);
  }
});
afterAll(stopAllHubs);

const as = (username: string): IClientOptions => ({ username, password: passwords.get(username)! });

/** The CONNACK return code for these options (0: connected, then left). */
async function connackCode(options: IClientOptions): Promise<number> {
  const client = mqtt.connect(hub.mqttUrl, { reconnectPeriod: 0, ...options });
  return new Promise<number>((resolve) => {
    client.once('connect', (packet: IConnackPacket) => void client.endAsync().then(() => resolve(packet.returnCode ?? 0)));
    client.once('error', (error: Error & { code?: number }) => {
      client.end(true);
      resolve(error.code ?? -1);
    });
  });
}

async function rejectedConnections(): Promise<number> {
  const response = await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers });
  return ((await response.json()) as { mqtt: { rejectedConnections: number } }).mqtt.rejectedConnections;
}

describe('client ids belong to credentials', () => {
  it('takes a credential under its user name and under its user name and a dash', async () => {
    expect(await connackCode({ ...as('lamp'), clientId: 'lamp' })).toBe(0);
    expect(await connackCode({ ...as('lamp'), clientId: 'lamp-second' })).toBe(0);
  });

  it('refuses another credential\'s id with CONNACK 5 and an audit line, and the owner stays connected', async () => {
    const lamp = await connectMqtt(hub.mqttUrl, { ...as('lamp'), clientId: 'lamp' });
    const before = await rejectedConnections();
    expect(await connackCode({ ...as('intruder'), clientId: 'lamp' })).toBe(5);
    expect(await connackCode({ ...as('intruder'), clientId: 'lamp-x' })).toBe(5);
    expect(await rejectedConnections()).toBe(before + 2);
    // Not kicked off: it still hears its commands.
    await lamp.subscribeAsync('hearth/lamp/set');
    const command = nextMessage(lamp, 'hearth/lamp/set');
    await hub.app.mqtt.publish('hearth/lamp/set', '{"state":"ON"}', { qos: 1 });
    expect(await command).toBe('{"state":"ON"}');
    await lamp.endAsync();
  });

  it('refuses an id no credential owns to a credential, and a credential\'s id to an anonymous client', async () => {
    expect(await connackCode({ ...as('intruder'), clientId: 'mqttjs_1a2b' })).toBe(5);
    expect(await connackCode({ clientId: 'lamp-anonymous' })).toBe(5);
    expect(await connackCode({ clientId: 'anyone' })).toBe(0);
  });

  it('lets a credential leave its id to the broker [MQTT-3.1.3-6]', async () => {
    expect(await connackCode({ ...as('intruder'), clientId: '', clean: true })).toBe(0);
  });

  it('resumes a stored session only for the credential that made it', async () => {
    // An anonymous session under an id that a credential made later comes to own.
    const early = await connectMqtt(hub.mqttUrl, { clientId: 'porch', clean: false });
    await early.subscribeAsync('hearth/porch/set', { qos: 1 });
    await early.endAsync();
    await hub.app.mqtt.publish('hearth/porch/set', 'queued for the anonymous session', { qos: 1 });
    const { username, password } = hub.app.deviceCredentials.create('Porch');
    expect(await connackCode({ username, password, clientId: 'porch', clean: false })).toBe(5);
    // A clean session discards the old one; the queued message is never handed over.
    const porch = await connectMqtt(hub.mqttUrl, { username, password, clientId: 'porch', clean: true });
    const heard: string[] = [];
    porch.on('message', (_topic, payload) => heard.push(payload.toString()));
    await porch.subscribeAsync('hearth/porch/set', { qos: 1 });
    const marker = nextMessage(porch, 'hearth/porch/set');
    await hub.app.mqtt.publish('hearth/porch/set', 'marker', { qos: 1 });
    await marker;
    expect(heard).toStrictEqual(['marker']);
    await porch.endAsync();
    // The session it started is its own now.
    expect(await connackCode({ username, password, clientId: 'porch', clean: false })).toBe(0);
  });
});
