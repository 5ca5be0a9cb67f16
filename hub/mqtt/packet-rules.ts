import type { IConnectPacket as ConnectPacket, Packet } from 'mqtt-packet';
import { stringProblem } from './topic-rules.js';

/**
 * MUST rules of MQTT 3.1.1 that mqtt-packet 9 and aedes 1.2.0 let pass, each found in
 * Mosquitto's broker tests (eclipse/mosquitto test/broker) as a connection Mosquitto closes.
 * Pure: a parsed packet in, why the connection must close (or null) out.
 */
export function malformedPacket(packet: Packet): string | null {
  return rules[packet.cmd]?.(packet as never) ?? null;
}

type Rule<P> = (packet: P) => string | null;
interface Sized {
  length?: number;
  messageId?: number;
}

/** [MQTT-3.4.1] ff.: PUBACK, PUBREC, PUBREL and PUBCOMP hold exactly a packet identifier, never 0. */
const acknowledgement: Rule<Sized> = ({ length, messageId }) => (length === 2 ? packetIdProblem(messageId) : `remaining length ${length ?? 0}, not 2 [MQTT-4.8.0-1]`);

/** PINGREQ and DISCONNECT are a fixed header alone [MQTT-3.12.1], [MQTT-3.14.1]. */
const headerOnly: Rule<Sized> = ({ length }) => (length ? `remaining length ${length}, not 0 [MQTT-4.8.0-1]` : null);

const rules: Partial<Record<Packet['cmd'], Rule<never>>> = {
  connect: trailingConnectBytes as Rule<never>,
  puback: acknowledgement,
  pubrec: acknowledgement,
  pubrel: acknowledgement,
  pubcomp: acknowledgement,
  pingreq: headerOnly,
  disconnect: headerOnly,
  subscribe: ((packet: { messageId?: number; subscriptions: { topic: string }[] }) =>
    packetIdProblem(packet.messageId) ??
    // [MQTT-3.8.3-3] at least one filter.
    (packet.subscriptions.length === 0 ? 'SUBSCRIBE without a filter [MQTT-3.8.3-3]' : firstProblem(packet.subscriptions.map((s) => s.topic)))) as Rule<never>,
  unsubscribe: ((packet: { messageId?: number; unsubscriptions: string[] }) =>
    packetIdProblem(packet.messageId) ??
    // [MQTT-3.10.3-2] at least one filter.
    (packet.unsubscriptions.length === 0 ? 'UNSUBSCRIBE without a filter [MQTT-3.10.3-2]' : firstProblem(packet.unsubscriptions))) as Rule<never>,
};

/** [MQTT-2.3.1-1] SUBSCRIBE, UNSUBSCRIBE and QoS 1/2 PUBLISH carry a non-zero packet identifier. */
function packetIdProblem(messageId: number | undefined): string | null {
  return messageId === 0 ? 'packet identifier 0 [MQTT-2.3.1-1]' : null;
}

function firstProblem(filters: readonly string[]): string | null {
  for (const filter of filters) {
    const problem = filterShapeProblem(filter);
    if (problem) return `filter ${JSON.stringify(filter.slice(0, 200))} ${problem}`;
  }
  return null;
}

/** Why a filter in a SUBSCRIBE or UNSUBSCRIBE is malformed, or null. */
export function filterShapeProblem(filter: string): string | null {
  // [MQTT-4.7.3-1] a filter is at least one character long.
  if (filter === '') return 'is empty [MQTT-4.7.3-1]';
  const problem = stringProblem(filter);
  if (problem) return `${problem} [MQTT-1.5.3]`;
  const levels = filter.split('/');
  // [MQTT-4.7.1-2] `#` alone in the last level; [MQTT-4.7.1-3] `+` alone in its level.
  if (levels.some((level, i) => level.includes('#') && (level !== '#' || i !== levels.length - 1))) return 'has # other than as its last level [MQTT-4.7.1-2]';
  if (levels.some((level) => level.includes('+') && level !== '+')) return 'has + that is not a whole level [MQTT-4.7.1-3]';
  return null;
}

const stringBytes = (text: string | Buffer | undefined): number => (text === undefined ? 0 : 2 + Buffer.byteLength(text));

/**
 * mqtt-packet reads a user name only when its flag is set and ignores what follows the
 * fields the flags announce, so a user name or password sent without its flag would go
 * unseen; Mosquitto closes such a connection (the remaining length is longer than the fields).
 */
function trailingConnectBytes(packet: ConnectPacket & { length?: number }): string | null {
  // MQTT 5 adds properties; aedes answers it CONNACK 1 anyway.
  if (packet.protocolVersion === 5 || packet.length === undefined) return null;
  const will = packet.will ? stringBytes(packet.will.topic) + stringBytes(packet.will.payload) : 0;
  const expected = stringBytes(packet.protocolId) + 4 + stringBytes(packet.clientId) + will + stringBytes(packet.username) + stringBytes(packet.password);
  if (packet.length === expected) return null;
  // [MQTT-3.1.2-18] no user name without its flag; [MQTT-3.1.2-20] no password without its flag.
  return `CONNECT has ${packet.length - expected} bytes past its fields: a user name or password without its flag [MQTT-3.1.2-18] [MQTT-3.1.2-20]`;
}
