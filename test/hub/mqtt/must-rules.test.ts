import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectPacket, connectRaw, frame, publishPacket, RawConnection, subscribePacket, unsubscribePacket, type ConnectFields } from '../../helpers/raw-mqtt.js';

/**
 * MUST rules of MQTT 3.1.1 that aedes 1.2.0 breaks and Mosquitto keeps, each sent as raw
 * bytes. The cases mirror Mosquitto's broker tests (eclipse/mosquitto test/broker/data/*.json,
 * run by msg_sequence_test.py): the file named in each block holds the same packets.
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startHub();
});
afterAll(stopAllHubs);

const CONNACK_OK = Buffer.from([0x20, 0x02, 0x00, 0x00]);
const NUL = Buffer.from('a\u0000b');
const SURROGATE = Buffer.from([0x61, 0xed, 0xa0, 0x80]);
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const str = (text: string) => Buffer.concat([u16(Buffer.byteLength(text)), Buffer.from(text)]);

async function expectClosedAfterConnack(packet: Buffer, clientId: string): Promise<void> {
  const connection = await connectRaw(hub.mqttUrl, { clientId });
  connection.send(packet);
  await connection.closed();
  // Only the CONNACK: no acknowledgement of the offending packet.
  expect(connection.bytes).toStrictEqual(CONNACK_OK);
}

/** A CONNECT as `connectPacket` makes it, with the protocol level byte replaced. */
const withLevel = (level: number) => {
  const packet = connectPacket({ clientId: `level-${level}` });
  packet[8] = level;
  return packet;
};

/** CONNECT flags 0x02 (clean session only), then a client id and `extra` strings the flags do not announce. */
const connectWithUnflagged = (...extra: string[]) =>
  frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02]), u16(60), str('unflagged'), ...extra.map(str)]));

describe('CONNECT (CONNECT.json)', () => {
  it.each([2, 6, 9, 255])('answers protocol level %i with CONNACK 1, then closes [MQTT-3.1.2-2]', async (level) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(withLevel(level));
    await connection.closed();
    expect(connection.bytes).toStrictEqual(Buffer.from([0x20, 0x02, 0x00, 0x01]));
  });

  it.each([
    ['a user name', connectWithUnflagged('user')],
    ['a user name and a password', connectWithUnflagged('user', 'secret')],
  ])('closes without a CONNACK when %s come without their flags [MQTT-3.1.2-18] [MQTT-3.1.2-20]', async (_, packet) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(packet);
    await connection.closed();
    expect(connection.bytes).toStrictEqual(Buffer.alloc(0));
  });

  it.each<[string, ConnectFields]>([
    ['U+0001 in the client id', { clientId: 'a\u0001b' }],
    ['U+007F in the client id', { clientId: 'a\u007fb' }],
    ['U+0085 in the user name', { clientId: 'ctl-user', username: 'a\u0085b', password: 'x' }],
    ['U+001F in the will topic', { clientId: 'ctl-will', will: { topic: 'raw/\u001f', qos: 0 } }],
  ])('closes without a CONNACK on a control character: %s (Mosquitto refuses them as UTF-8)', async (_, fields) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(connectPacket(fields));
    await connection.closed();
    expect(connection.bytes).toStrictEqual(Buffer.alloc(0));
  });

  it.each(['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'])('answers the client id %s with CONNACK 2: no Object.prototype name', async (clientId) => {
    const connection = await RawConnection.open(hub.mqttUrl);
    connection.send(connectPacket({ clientId }));
    expect(await connection.connackCode()).toBe(2);
    await connection.closed();
  });
});

describe('UNSUBSCRIBE (UNSUBSCRIBE.json)', () => {
  it.each([
    ['no filter [MQTT-3.10.3-2]', frame(0xa2, u16(1))],
    ['U+0000 in a filter [MQTT-1.5.3-2]', unsubscribePacket([NUL])],
    ['an encoded surrogate in a filter [MQTT-1.5.3-1]', unsubscribePacket([SURROGATE])],
    ['a control character in a filter', unsubscribePacket(['raw/\u0007'])],
    ['packet id 0 [MQTT-2.3.1-1]', unsubscribePacket(['raw/a'], 0)],
  ])('closes the connection on %s', async (_, packet) => {
    await expectClosedAfterConnack(packet, 'unsubscriber');
  });
});

describe('PUBACK, PUBREC, PUBREL and PUBCOMP (PUBACK.json, PUBREC.json, PUBREL.json, PUBCOMP.json)', () => {
  it.each([
    ['PUBACK', 0x40],
    ['PUBREC', 0x50],
    ['PUBREL', 0x62],
    ['PUBCOMP', 0x70],
  ])('closes the connection on a %s with a remaining length of 0 or 1 [MQTT-4.8.0-1]', async (_, type) => {
    await expectClosedAfterConnack(Buffer.from([type, 0x00]), 'short-ack-0');
    await expectClosedAfterConnack(Buffer.from([type, 0x01, 0x01]), 'short-ack-1');
  });
});

describe('SUBSCRIBE (SUBSCRIBE.json)', () => {
  it.each([
    ['a+/b', "+ that is not a whole level [MQTT-4.7.1-3]"],
    ['a/+b', "+ that is not a whole level [MQTT-4.7.1-3]"],
    ['a/#/b', '# that is not the last level [MQTT-4.7.1-2]'],
    ['a#', '# that is not a whole level [MQTT-4.7.1-2]'],
  ])('closes the connection on the filter %s: %s', async (filter) => {
    await expectClosedAfterConnack(subscribePacket(filter), 'bad-filter');
  });

  it('closes the connection on packet id 0 [MQTT-2.3.1-1]', async () => {
    await expectClosedAfterConnack(subscribePacket('raw/a', 0), 'sub-id-0');
  });

  it('closes the connection on a control character in a filter', async () => {
    await expectClosedAfterConnack(subscribePacket('raw/\u0001'), 'sub-ctl');
  });
});

describe('refused PUBLISH (Mosquitto src/handle_publish.c; Paho interoperability test_dollar_topics)', () => {
  it.each([
    ['a $ topic, QoS 1', publishPacket('$hearth/x', 'x', { qos: 1, messageId: 5 }), Buffer.from([0x40, 0x02, 0x00, 0x05])],
    ['a $ topic, QoS 2', publishPacket('$SYS/fake', 'x', { qos: 2, messageId: 6 }), Buffer.from([0x50, 0x02, 0x00, 0x06])],
    ['a $ topic, QoS 0', publishPacket('$hearth/y', 'x'), Buffer.alloc(0)],
  ])('acknowledges and drops %s, and keeps the connection', async (_, packet, ack) => {
    const connection = await connectRaw(hub.mqttUrl, { clientId: 'refused-publisher' });
    connection.send(packet);
    await connection.ping();
    expect(connection.bytes).toStrictEqual(Buffer.concat([CONNACK_OK, ack, Buffer.from([0xd0, 0x00])]));
    connection.destroy();
  });

  it('answers the PUBREL of a refused QoS 2 PUBLISH with PUBCOMP [MQTT-4.3.3-1]', async () => {
    const connection = await connectRaw(hub.mqttUrl, { clientId: 'refused-qos2' });
    connection.send(publishPacket('$hearth/x', 'x', { qos: 2, messageId: 9 }));
    await connection.until((b) => b.length >= 8, 'the PUBREC');
    connection.send(Buffer.from([0x62, 0x02, 0x00, 0x09]));
    const bytes = await connection.until((b) => b.length >= 12, 'the PUBCOMP');
    expect(bytes.subarray(4)).toStrictEqual(Buffer.from([0x50, 0x02, 0x00, 0x09, 0x70, 0x02, 0x00, 0x09]));
    connection.destroy();
  });

  it('still closes on a control character in a topic, as Mosquitto does for malformed UTF-8', async () => {
    await expectClosedAfterConnack(publishPacket('raw/\u001b', 'x', { qos: 1 }), 'ctl-topic');
  });
});
