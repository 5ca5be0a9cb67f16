import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectMqtt, nextMessage } from '../../helpers/mqtt.js';
import { connectPacket, connectRaw, publishPacket, RawConnection, remainingLength, subscribePacket, type ConnectFields } from '../../helpers/raw-mqtt.js';
import { waitForEvent } from '../../helpers/wait.js';

/**
 * Where aedes 1.2.0 is laxer than MQTT 3.1.1 (or than Mosquitto), each tried with the
 * raw bytes over TCP: the offender is refused, and the next client is served as usual.
 */
const MAX_PACKET_BYTES = 4096;
let hub: TestHub;
let served = 0;

beforeAll(async () => {
  hub = await startHub({ config: { mqttMaxPacketBytes: MAX_PACKET_BYTES } });
});
afterAll(stopAllHubs);

async function expectOthersServed(): Promise<void> {
  const client = await connectMqtt(hub.mqttUrl, { clientId: `served-${++served}` });
  await client.subscribeAsync('check/echo');
  const echoed = nextMessage(client, 'check/echo');
  await client.publishAsync('check/echo', 'still here');
  expect(await echoed).toBe('still here');
  await client.endAsync();
}

async function mqttHealth(): Promise<Record<string, number>> {
  const response = await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers });
  return ((await response.json()) as { mqtt: Record<string, number> }).mqtt;
}

const NUL = Buffer.from('a\u0000b');
/** U+D800 encoded as if it were a character: ill-formed UTF-8 [MQTT-1.5.3-1]. */
const SURROGATE = Buffer.from([0x61, 0xed, 0xa0, 0x80]);

describe('CONNECT packets aedes lets through', () => {
  it.each<[string, ConnectFields]>([
    ['will QoS 3 [MQTT-3.1.2-14]', { will: { topic: 'raw/will', qos: 3 } }],
    ['a password without a user name [MQTT-3.1.2-22]', { password: 'secret' }],
    ['U+0000 in the client id [MQTT-1.5.3-2]', { clientId: NUL }],
    ['an encoded surrogate in the client id [MQTT-1.5.3-1]', { clientId: SURROGATE }],
    ['U+0000 in the will topic [MQTT-1.5.3-2]', { will: { topic: NUL, qos: 0 } }],
    ['a wildcard in the will topic [MQTT-3.3.2-2]', { will: { topic: 'raw/#', qos: 0 } }],
    ['a will topic starting with $', { will: { topic: '$SYS/fake', qos: 0 } }],
  ])('closes the connection without a CONNACK for %s', async (_, fields) => {
    const before = await mqttHealth();
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(connectPacket(fields));
    await connection.closed();
    expect(connection.bytes).toStrictEqual(Buffer.alloc(0));
    expect((await mqttHealth()).rejectedConnections).toBe(before.rejectedConnections! + 1);
    await expectOthersServed();
  });

  it.each<[string, ConnectFields]>([
    ['an empty client id without clean session [MQTT-3.1.3-8]', { clientId: '', clean: false }],
    ['the client id __proto__', { clientId: '__proto__' }],
    ['the client id constructor', { clientId: 'constructor' }],
    ['the client id prototype', { clientId: 'prototype' }],
  ])('answers CONNACK 2 (identifier rejected) to %s', async (_, fields) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(connectPacket(fields));
    expect(await connection.connackCode()).toBe(2);
    await connection.closed();
    await expectOthersServed();
  });

  it('still takes an empty client id with a clean session [MQTT-3.1.3-6]', async () => {
    const connection = await connectRaw(hub.mqttUrl, { clientId: '', clean: true });
    connection.destroy();
  });
});

describe('malformed packets', () => {
  /** A CONNECT with another protocol level byte (after the length, 2 bytes, and the name "MQTT", 6). */
  const withLevel = (level: number) => {
    const packet = connectPacket();
    packet[8] = level;
    return packet;
  };

  it.each([
    ['a truncated CONNECT, then the client gives up', connectPacket().subarray(0, 9)],
    ['a PUBLISH before any CONNECT [MQTT-3.1.0-1]', publishPacket('raw/a', 'x')],
    ['protocol level 9 [MQTT-3.1.2-2]', withLevel(9)],
    ['a CONNECT whose protocol name is not MQTT [MQTT-3.1.2-1]', Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x58, 0x58, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00])],
    ['a packet of reserved type 0', Buffer.from([0x00, 0x00])],
  ])('refuses %s, and keeps serving others', async (_, bytes) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.end(bytes);
    await connection.closed();
    // Nothing was accepted: no CONNACK 0 for a broken CONNECT.
    expect(connection.bytes.subarray(0, 4).equals(Buffer.from([0x20, 0x02, 0x00, 0x00]))).toBe(false);
    await expectOthersServed();
  });

  /** MQTT 5: level 5 and an (empty) properties field after the keep-alive. */
  const mqtt5 = Buffer.from([0x10, 0x0e, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x01, 0x61]);

  it.each([
    ['an MQTT 5 CONNECT', mqtt5],
    ['the name MQTT at level 3, which is MQIsdp\'s', withLevel(3)],
  ])('answers %s with CONNACK 1 (unacceptable protocol level) and closes [MQTT-3.1.2-2]', async (_, bytes) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(bytes);
    expect(await connection.connackCode()).toBe(1);
    await connection.closed();
    await expectOthersServed();
  });
});

describe('PUBLISH and SUBSCRIBE packets aedes lets through', () => {
  const longTopic = `raw/${'x'.repeat(1100)}`;
  const deepTopic = Array.from({ length: 40 }, (_, i) => `l${i}`).join('/');

  it.each<[string, Buffer]>([
    ['QoS 1 with packet id 0 [MQTT-2.3.1-1]', publishPacket('raw/a', 'x', { qos: 1, messageId: 0 })],
    ['QoS 2 with packet id 0 [MQTT-2.3.1-1]', publishPacket('raw/a', 'x', { qos: 2, messageId: 0 })],
    ['U+0000 in the topic [MQTT-1.5.3-2]', publishPacket(Buffer.from('raw/a\u0000b'), 'x')],
    ['an encoded surrogate in the topic [MQTT-1.5.3-1]', publishPacket(Buffer.concat([Buffer.from('raw/'), SURROGATE]), 'x')],
    ['U+0000 in a subscription filter [MQTT-1.5.3-2]', subscribePacket(Buffer.from('raw/\u0000'))],
  ])('closes the connection, without an acknowledgement, on %s', async (_, packet) => {
    const connection = await connectRaw(hub.mqttUrl, { clientId: 'raw-offender' });
    connection.send(packet);
    await connection.closed();
    // Only the CONNACK: no PUBACK, PUBREC or SUBACK for the refused packet.
    expect(connection.bytes).toStrictEqual(Buffer.from([0x20, 0x02, 0x00, 0x00]));
    await expectOthersServed();
  });

  // Refused, not malformed: acknowledged and dropped as Mosquitto does (src/handle_publish.c),
  // so a device with a wrong topic does not fall into a reconnect loop.
  it.each<[string, Buffer]>([
    ['a topic level __proto__', publishPacket('raw/__proto__/state', 'x', { qos: 1, messageId: 3 })],
    ['a topic level constructor', publishPacket('raw/constructor', 'x', { qos: 1, messageId: 7 })],
    ['a topic level toString (any Object.prototype name)', publishPacket('raw/toString', 'x', { qos: 1, messageId: 11 })],
    ['a topic over 1024 characters', publishPacket(longTopic, 'x', { qos: 1, messageId: 8 })],
    ['a topic of 40 levels', publishPacket(deepTopic, 'x', { qos: 1, messageId: 9 })],
    ['a $ topic', publishPacket('$hearth/x', 'x', { qos: 1, messageId: 10 })],
  ])('acknowledges and drops a PUBLISH with %s, keeping the connection', async (_, packet) => {
    const before = await mqttHealth();
    const watcher = await connectMqtt(hub.mqttUrl, { clientId: 'raw-watcher' });
    await watcher.subscribeAsync('#');
    const heard: string[] = [];
    watcher.on('message', (topic) => heard.push(topic));
    const connection = await connectRaw(hub.mqttUrl, { clientId: 'raw-refused' });
    connection.send(packet);
    await connection.ping();
    expect(connection.bytes.subarray(4, 6)).toStrictEqual(Buffer.from([0x40, 0x02]));
    expect(connection.bytes.subarray(6, 8)).toStrictEqual(packet.subarray(packet.length - 3, packet.length - 1));
    expect((await mqttHealth()).rejectedPublishes).toBe(before.rejectedPublishes! + 1);
    // The watcher's own echo comes after anything the refused PUBLISH would have sent it.
    const echoed = nextMessage(watcher, 'check/after');
    await watcher.publishAsync('check/after', 'x');
    await echoed;
    expect(heard).toStrictEqual(['check/after']);
    connection.destroy();
    await watcher.endAsync();
  });

  it.each(['$SYS/#', '$SYS/+/new/clients', '$share/x'])('refuses a subscription to %s with SUBACK 0x80, keeping the connection', async (filter) => {
    const connection = await connectRaw(hub.mqttUrl, { clientId: 'raw-sys-reader' });
    connection.send(subscribePacket(filter, 9));
    const suback = Buffer.from([0x90, 0x03, 0x00, 0x09, 0x80]);
    const bytes = await connection.until((b) => b.length >= 9, 'the SUBACK');
    expect(bytes.subarray(4)).toStrictEqual(suback);
    connection.send(Buffer.from([0xc0, 0x00])); // PINGREQ
    expect((await connection.until((b) => b.length >= 11, 'the PINGRESP')).subarray(9)).toStrictEqual(Buffer.from([0xd0, 0x00]));
    connection.destroy();
  });
});

describe('maximum packet size', () => {
  it('closes a TCP connection as soon as a PUBLISH announces 64 MiB, before the body is sent', async () => {
    const before = await mqttHealth();
    const connection = await connectRaw(hub.mqttUrl, { clientId: 'raw-huge' });
    connection.send(Buffer.concat([Buffer.from([0x30]), remainingLength(64 * 1024 * 1024)]));
    await connection.closed();
    expect((await mqttHealth()).oversizedPackets).toBe(before.oversizedPackets! + 1);
    await expectOthersServed();
  });

  it('closes a connection whose CONNECT is over the limit', async () => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(connectPacket({ clientId: 'x'.repeat(MAX_PACKET_BYTES + 1) }));
    await connection.closed();
    expect(connection.bytes).toStrictEqual(Buffer.alloc(0));
    await expectOthersServed();
  });

  it('takes a packet just under the limit', async () => {
    const client = await connectMqtt(hub.mqttUrl, { clientId: 'raw-big-enough' });
    await client.subscribeAsync('raw/big');
    const payload = 'x'.repeat(MAX_PACKET_BYTES - 100);
    const received = nextMessage(client, 'raw/big');
    await client.publishAsync('raw/big', payload);
    expect(await received).toBe(payload);
    await client.endAsync();
  });

  it('closes an MQTT over WebSocket connection that announces an oversized packet', async () => {
    const socket = new WebSocket(`${hub.httpUrl.replace('http', 'ws')}/mqtt`, 'mqtt', { headers: hub.headers });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = waitForEvent<void>(
      (listener) => {
        socket.on('close', listener);
        return () => socket.off('close', listener);
      },
      () => true,
      'the WebSocket to close',
    );
    const connack = waitForEvent<Buffer>(
      (listener) => {
        socket.on('message', listener);
        return () => socket.off('message', listener);
      },
      (data) => data[0] === 0x20,
      'the CONNACK',
    );
    socket.send(connectPacket({ clientId: 'ws-huge' }));
    expect([...(await connack)]).toStrictEqual([0x20, 0x02, 0x00, 0x00]);
    socket.send(Buffer.concat([Buffer.from([0x30]), remainingLength(MAX_PACKET_BYTES * 10), Buffer.alloc(100)]));
    await closed;
    await expectOthersServed();
  });
});
