import type { Client } from 'aedes';
import type { EventEmitter } from 'node:events';
import type { IPublishPacket as PublishPacket, Packet } from 'mqtt-packet';

/**
 * What becomes of one packet a client sent (the judge has written its audit line): null
 * hands it to aedes; `close` ends the connection without an answer; `drop` acknowledges a
 * PUBLISH as Mosquitto does with one it refuses (MQTT 3.1.1 has no negative PUBACK) and
 * forgets it, the connection staying open.
 */
export type Verdict = null | { close: string } | { drop: string };

/** aedes' client internals the screen stands between. */
interface ClientInternals {
  _parser: EventEmitter;
  _nextId: number;
  _keepaliveTimer: NodeJS.Timeout | null;
  connecting: boolean;
  connected: boolean;
}

/** Packets a client may send before its CONNACK, as aedes' own queue (`queueLimit`) allows. */
const MAX_EARLY_PACKETS = 42;

/**
 * Puts `judge` between aedes' packet parser and its handlers, for one connection. aedes'
 * `authorizePublish` can only let a PUBLISH through or close the connection, and some
 * malformed packets reach no hook at all; here each is judged before aedes sees it.
 * Packets that arrive while the CONNECT is being authenticated wait for its outcome, since
 * who sent them is only known then.
 */
export function screenPackets(client: Client, judge: (packet: Packet) => Verdict, onUnknownLevel: (reason: string) => void): void {
  const internals = client as unknown as ClientInternals;
  const parser = internals._parser;
  const [handOver] = parser.listeners('packet') as ((packet: Packet) => void)[];
  if (!handOver) throw new Error('aedes client has no packet listener to screen');
  parser.removeAllListeners('packet');
  let early: Packet[] | null = [];

  const pass = (packet: Packet) => {
    // Another packet before the CONNECT is aedes' to close [MQTT-3.1.0-1].
    if (packet.cmd !== 'connect' && !internals.connecting && !internals.connected) return handOver.call(parser, packet);
    // A new session numbers its messages from 1, as Mosquitto does; aedes starts at random.
    if (packet.cmd === 'connect' && packet.clean) internals._nextId = 1;
    const verdict = judge(packet);
    if (verdict === null) return handOver.call(parser, packet);
    if ('close' in verdict) return client.conn.destroy();
    // A refused PUBLISH still shows the client alive.
    internals._keepaliveTimer?.refresh();
    const ack = acknowledgementOf(packet as PublishPacket);
    if (ack) client.conn.write(ack);
  };

  parser.on('packet', (packet: Packet) => {
    if (early === null || !internals.connecting) return pass(packet);
    if (early.length >= MAX_EARLY_PACKETS) return client.conn.destroy();
    early.push(packet);
  });
  answerUnknownLevel(client, parser, onUnknownLevel);
  client.once('connected', () => {
    const waiting = early ?? [];
    early = null;
    for (const packet of waiting) pass(packet);
  });
}

/** CONNACK 1 (unacceptable protocol version) */
const CONNACK_UNACCEPTABLE_VERSION = Buffer.from([0x20, 0x02, 0x00, 0x01]);

/**
 * [MQTT-3.1.2-2] a protocol level the server does not speak gets CONNACK 1, then the close.
 * mqtt-packet stops at a level other than 3, 4 or 5 with a parse error, and aedes closes on
 * it without a word: the CONNACK is written here first, and the connection ended after it.
 */
function answerUnknownLevel(client: Client, parser: EventEmitter, onClose: (reason: string) => void): void {
  const forward = parser.listeners('error') as ((error: Error) => void)[];
  parser.removeAllListeners('error');
  parser.on('error', (error: Error) => {
    const { connecting, connected } = client as unknown as ClientInternals;
    if (error.message !== 'Invalid protocol version' || connecting || connected) {
      for (const listener of forward) listener.call(parser, error);
      return;
    }
    onClose('protocol level is not 3 or 4 [MQTT-3.1.2-2]');
    client.conn.end(CONNACK_UNACCEPTABLE_VERSION, () => client.conn.destroy());
  });
}

/** PUBACK for QoS 1, PUBREC for QoS 2 (aedes then answers the PUBREL with PUBCOMP), none for QoS 0. */
function acknowledgementOf(packet: PublishPacket): Buffer | null {
  if (packet.qos === 0 || packet.messageId === undefined) return null;
  return Buffer.from([packet.qos === 1 ? 0x40 : 0x50, 0x02, packet.messageId >> 8, packet.messageId & 0xff]);
}
