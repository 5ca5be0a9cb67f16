import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_HOME } from '../../../devices/demo-home.js';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectMqtt, nextMessage } from '../../helpers/mqtt.js';
import { connectRaw, RawConnection } from '../../helpers/raw-mqtt.js';
import { waitForEvent } from '../../helpers/wait.js';

afterAll(stopAllHubs);

async function rejectedConnections(hub: TestHub): Promise<number> {
  const response = await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers });
  return ((await response.json()) as { mqtt: { rejectedConnections: number } }).mqtt.rejectedConnections;
}

/** The hub closes the connection before sending anything. */
async function expectTurnedAway(hub: TestHub): Promise<void> {
  const connection = await RawConnection.open(hub.mqttUrl);
  await connection.closed();
  expect(connection.bytes).toStrictEqual(Buffer.alloc(0));
}

async function expectAlive(connection: RawConnection): Promise<void> {
  const before = connection.bytes.length;
  connection.send(Buffer.from([0xc0, 0x00])); // PINGREQ
  const bytes = await connection.until((b) => b.length >= before + 2, 'the PINGRESP');
  expect(bytes.subarray(before)).toStrictEqual(Buffer.from([0xd0, 0x00]));
}

describe('connection limits per address', () => {
  it('turns away a connection over the open-connection limit and keeps the others', async () => {
    const hub = await startHub({ config: { mqttLimitLoopback: true, mqttMaxConnectionsPerAddress: 2 } });
    const first = await connectRaw(hub.mqttUrl, { clientId: 'first' });
    const second = await connectRaw(hub.mqttUrl, { clientId: 'second' });
    await expectTurnedAway(hub);
    expect(await rejectedConnections(hub)).toBe(1);
    await expectAlive(first);
    await expectAlive(second);
    first.destroy();
    second.destroy();
  });

  it('turns away connections over the rate limit', async () => {
    const hub = await startHub({ config: { mqttLimitLoopback: true, mqttConnectsPerMinute: 3 } });
    const kept = await connectRaw(hub.mqttUrl, { clientId: 'kept' });
    for (const id of ['two', 'three']) (await connectRaw(hub.mqttUrl, { clientId: id })).destroy();
    await expectTurnedAway(hub);
    await expectAlive(kept);
    kept.destroy();
  });

  it('leaves loopback alone by default, for load tests and local bridges', async () => {
    const hub = await startHub({ config: { mqttMaxConnectionsPerAddress: 1, mqttConnectsPerMinute: 1 } });
    const connections = [];
    for (const id of ['a', 'b', 'c']) connections.push(await connectRaw(hub.mqttUrl, { clientId: id }));
    for (const connection of connections) connection.destroy();
    expect(await rejectedConnections(hub)).toBe(0);
  });
});

describe('anonymous lab mode', () => {
  it('lets a client without credentials use every topic but $ ones', async () => {
    const hub = await startHub({ mqttAnonymous: true });
    const client = await connectMqtt(hub.mqttUrl);
    const [everything] = await client.subscribeAsync('#');
    expect(everything?.qos).toBe(0);
    const sys = await client.subscribeAsync('$SYS/#').catch((error: { packet?: { granted: number[] } }) => error.packet?.granted);
    expect(sys).toStrictEqual([128]);
    const received = nextMessage(client, 'hearth/any-device/set');
    await client.publishAsync('hearth/any-device/set', '{"state":"ON"}');
    expect(await received).toBe('{"state":"ON"}');
    await client.endAsync();
  });
});

describe('the simulated demo home', () => {
  it('connects with credentials of its own when anonymous access is off, at every start', async () => {
    const first = await startHub({ simulate: true, mqttAnonymous: false });
    await allOnline(first);
    expect(first.app.deviceCredentials.list().map((c) => c.name)).toHaveLength(DEMO_HOME.length);
    await first.close();
    // Its passwords lived only in the stopped hub: the next start makes new ones.
    const second = await startHub({ simulate: true, mqttAnonymous: false, dataDir: first.dataDir });
    await allOnline(second);
  });
});

async function allOnline(hub: TestHub): Promise<void> {
  const done = () => hub.app.registry.list().filter((d) => d.online).length === DEMO_HOME.length;
  if (!done()) await waitForEvent<unknown>((listener) => hub.app.registry.subscribe(listener), done, 'every demo device online');
}
