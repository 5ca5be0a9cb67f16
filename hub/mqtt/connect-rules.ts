import type { ConnectPacket } from 'aedes';
import { isReservedName, stringProblem, topicProblem } from './topic-rules.js';

/**
 * What is wrong with a CONNECT that mqtt-packet and aedes 1.2.0 let through. `close`: the
 * spec says to close the connection without a CONNACK; `refuse`: answer with this CONNACK
 * return code, then close.
 */
export type ConnectProblem = { action: 'close'; reason: string } | { action: 'refuse'; returnCode: 1 | 2; reason: string };

const close = (reason: string): ConnectProblem => ({ action: 'close', reason });

export function connectProblem(packet: ConnectPacket): ConnectProblem | null {
  // [MQTT-3.1.2-2] "MQTT" is level 4 (3.1.1) and "MQIsdp" level 3 (3.1); mqtt-packet takes
  // either name at either level, and aedes would serve "MQTT" level 3 as if it were 3.1.
  const { protocolId, protocolVersion } = packet as ConnectPacket & { protocolId?: string };
  if ((protocolId === 'MQTT' && protocolVersion === 3) || (protocolId === 'MQIsdp' && protocolVersion !== 3)) {
    return { action: 'refuse', returnCode: 1, reason: `protocol name ${protocolId} does not go with level ${protocolVersion} [MQTT-3.1.2-2]` };
  }
  const willProblem = packet.will ? willTopicProblem(packet.will.topic, packet.will.qos ?? 0) : null;
  if (willProblem) return close(willProblem);
  // [MQTT-3.1.2-22] no password without a user name.
  if (packet.password !== undefined && packet.username === undefined) return close('password without a user name [MQTT-3.1.2-22]');
  const usernameProblem = packet.username === undefined ? null : stringProblem(packet.username);
  if (usernameProblem) return close(`user name ${usernameProblem} [MQTT-1.5.3]`);
  const clientId = packet.clientId ?? '';
  const idProblem = stringProblem(clientId);
  if (idProblem) return close(`client id ${idProblem} [MQTT-1.5.3]`);
  // [MQTT-3.1.3-9] the server may refuse a client id with CONNACK 2.
  if (isReservedName(clientId)) return { action: 'refuse', returnCode: 2, reason: `client id is the reserved name "${clientId}"` };
  // MQTT 3.1 (level 3) has no empty client ids: 1 to 23 characters.
  if (clientId === '' && packet.protocolVersion === 3) return { action: 'refuse', returnCode: 2, reason: 'empty client id in MQTT 3.1' };
  // [MQTT-3.1.3-8] an empty client id needs a clean session: there is no id to keep a session under.
  if (clientId === '' && packet.clean === false) return { action: 'refuse', returnCode: 2, reason: 'empty client id without clean session [MQTT-3.1.3-8]' };
  return null;
}

function willTopicProblem(topic: string, qos: number): string | null {
  // [MQTT-3.1.2-14] Will QoS 3 is not a QoS.
  if (qos > 2) return `will QoS ${qos} [MQTT-3.1.2-14]`;
  // [MQTT-3.3.2-2] a topic name (the will's too) has no wildcards.
  if (/[+#]/.test(topic)) return 'will topic has a wildcard [MQTT-3.3.2-2]';
  if (topic.startsWith('$')) return 'will topic starts with $, which is reserved for the broker';
  const problem = topicProblem(topic);
  return problem ? `will topic ${problem}` : null;
}
