import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectMqtt, nextMessage, untilMessages } from '../../helpers/mqtt.js';

/**
 * Limits on retained messages (issue #17, finding 5): one credential stored 1,500 retained
 * messages of 200 KiB in 2.8 s and took the hub from 190 to 553 MiB. Past a limit the
 * PUBLISH is acknowledged and dropped, with an audit line, like any refused PUBLISH.
 */
let hub: TestHub;
const limits = { mqttMaxRetainedPerCredential: 3, mqttMaxRetainedBytesPerCredential: 1000, mqttMaxRetained: 5, mqttMaxRetainedBytes: 100_000 };

beforeAll(async () => {
  hub = await startHub({ mqttAnonymous: false, config: limits });
});
afterAll(stopAllHubs);

async function device(name: string): Promise<MqttClient> {
  const { username, password } = hub.app.deviceCredentials.create(name);
  return connectMqtt(hub.mqttUrl, { username, password, clientId: username });
}

async function rejectedPublishes(): Promise<number> {
  const response = await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers });
  return ((await response.json()) as { mqtt: { rejectedPublishes: number } }).mqtt.rejectedPublishes;
}

/**
 * The retained messages under `filter`, as a new subscriber gets them: `expected` of them,
 * then nothing more up to a marker the hub publishes after (aedes may send a new message
 * before the retained ones are all out, so the marker waits for them).
 */
async function retainedUnder(filter: string, expected: number): Promise<string[]> {
  const { username, password } = hub.app.deviceCredentials.create(`Reader ${++readers}`, [filter, 'check/#']);
  const reader = await connectMqtt(hub.mqttUrl, { username, password, clientId: username });
  const seen: string[] = [];
  reader.on('message', (topic, payload, packet) => {
    if (packet.retain) seen.push(`${topic}=${payload.toString()}`);
  });
  await reader.subscribeAsync([filter, 'check/marker']);
  await untilMessages(reader, () => seen.length >= expected, `${expected} retained messages`);
  const marker = nextMessage(reader, 'check/marker');
  await hub.app.mqtt.publish('check/marker', 'marker');
  await marker;
  await reader.endAsync();
  return seen.sort();
}
let readers = 0;

/** Publishes retained at QoS 1: it resolves on the PUBACK whether kept or refused. */
async function retain(client: MqttClient, topic: string, payload: string | Buffer): Promise<number> {
  const before = await rejectedPublishes();
  await client.publishAsync(topic, payload, { qos: 1, retain: true });
  return (await rejectedPublishes()) - before;
}

describe('retained message limits', () => {
  it('refuses a credential\'s retained message past its count, takes replacements, and makes room when one is cleared', async () => {
    const plug = await device('Count plug');
    for (const n of [1, 2, 3]) expect(await retain(plug, `hearth/count-plug/r${n}`, `v${n}`)).toBe(0);
    expect(await retain(plug, 'hearth/count-plug/r4', 'v4')).toBe(1);
    expect(await retain(plug, 'hearth/count-plug/r1', 'v1 again')).toBe(0);
    expect(await retainedUnder('hearth/count-plug/#', 3)).toStrictEqual(['hearth/count-plug/r1=v1 again', 'hearth/count-plug/r2=v2', 'hearth/count-plug/r3=v3']);
    expect(await retain(plug, 'hearth/count-plug/r2', '')).toBe(0);
    expect(await retain(plug, 'hearth/count-plug/r4', 'v4')).toBe(0);
    expect(await retainedUnder('hearth/count-plug/#', 3)).toStrictEqual(['hearth/count-plug/r1=v1 again', 'hearth/count-plug/r3=v3', 'hearth/count-plug/r4=v4']);
    // Cleared for the next test: the total counts every credential.
    for (const n of [1, 3, 4]) await retain(plug, `hearth/count-plug/r${n}`, '');
    await plug.endAsync();
  });

  it('refuses a retained message past the credential\'s bytes, and keeps the connection', async () => {
    const meter = await device('Bytes meter');
    expect(await retain(meter, 'hearth/bytes-meter/big', Buffer.alloc(1001, 'x'))).toBe(1);
    expect(await retain(meter, 'hearth/bytes-meter/small', 'fits')).toBe(0);
    expect(await retainedUnder('hearth/bytes-meter/#', 1)).toStrictEqual(['hearth/bytes-meter/small=fits']);
    await retain(meter, 'hearth/bytes-meter/small', '');
    await meter.endAsync();
  });

  it('refuses past the broker\'s total, whoever stores it', async () => {
    const first = await device('Total one');
    const second = await device('Total two');
    for (const n of [1, 2, 3]) expect(await retain(first, `hearth/total-one/r${n}`, 'x')).toBe(0);
    expect(await retain(second, 'hearth/total-two/r1', 'x')).toBe(0);
    expect(await retain(second, 'hearth/total-two/r2', 'x')).toBe(0);
    // Two retained messages of its own, under its limit of 3, but the broker holds 5.
    expect(await retain(second, 'hearth/total-two/r3', 'x')).toBe(1);
    expect(await retainedUnder('hearth/total-two/#', 2)).toStrictEqual(['hearth/total-two/r1=x', 'hearth/total-two/r2=x']);
    await first.endAsync();
    await second.endAsync();
  });
});
