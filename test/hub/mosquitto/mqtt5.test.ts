/**
 * MQTT 5 behaviour a client of the hub-run Mosquitto relies on, after the cases of Paho's
 * interoperability suite (eclipse/paho.mqtt.testing, interoperability/client_test5.py:
 * test_retained_message, test_will_message, test_offline_message_queueing), written here
 * with MQTT.js as the MQTT 5 client and a device credential instead of anonymous clients.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { mosquittoInstalled } from '../../../bench/lib/mosquitto.js';
import { stopAllHubs } from '../../helpers/hub.js';
import { connectMqtt } from '../../helpers/mqtt.js';
import { waitForEvent } from '../../helpers/wait.js';
import { issue, mosquittoHub } from './hub.js';

afterEach(stopAllHubs);

type Received = { topic: string; payload: string; retain: boolean; qos: number };

/** Resolves with the first `count` messages the client receives. */
function messages(client: MqttClient, count: number): Promise<Received[]> {
  const seen: Received[] = [];
  return waitForEvent<Received>(
    (listener) => {
      const handler = (topic: string, payload: Buffer, packet: { retain: boolean; qos: number }) => listener({ topic, payload: payload.toString(), retain: packet.retain, qos: packet.qos });
      client.on('message', handler);
      return () => client.off('message', handler);
    },
    (m) => seen.push(m) === count,
    `${count} messages`,
  ).then(() => seen);
}

async function suiteHub() {
  const hub = await mosquittoHub();
  const credential = await issue(hub, 'Suite client', ['client_test5/#']);
  const options = (clientId: string, more: IClientOptions = {}): IClientOptions => ({ protocolVersion: 5, clientId, username: credential.username, password: credential.password, ...more });
  const connect = (clientId: string, more: IClientOptions = {}) => connectMqtt(hub.mqttUrl, options(clientId, more));
  return { hub, connect, options };
}

describe.skipIf(!mosquittoInstalled())('MQTT 5 through the hub-run Mosquitto (after Paho client_test5.py)', () => {
  it('keeps retained messages at QoS 0, 1 and 2 for a later subscriber, and clears one with an empty payload', async () => {
    const { connect } = await suiteHub();
    const publisher = await connect('retainer');
    for (const qos of [0, 1, 2] as const) await publisher.publishAsync(`client_test5/retained/q${qos}`, `qos ${qos}`, { qos, retain: true });
    await publisher.publishAsync('client_test5/retained/gone', 'soon empty', { qos: 1, retain: true });
    await publisher.publishAsync('client_test5/retained/gone', '', { qos: 1, retain: true });
    const subscriber = await connect('late-subscriber');
    const received = messages(subscriber, 3);
    await subscriber.subscribeAsync('client_test5/retained/#', { qos: 2 });
    expect((await received).sort((a, b) => a.topic.localeCompare(b.topic))).toStrictEqual([
      { topic: 'client_test5/retained/q0', payload: 'qos 0', retain: true, qos: 0 },
      { topic: 'client_test5/retained/q1', payload: 'qos 1', retain: true, qos: 1 },
      { topic: 'client_test5/retained/q2', payload: 'qos 2', retain: true, qos: 2 },
    ]);
    await Promise.all([publisher.endAsync(), subscriber.endAsync()]);
  });

  it("sends a client's will when its connection is lost, not when it disconnects normally", async () => {
    const { connect } = await suiteHub();
    const watcher = await connect('watcher');
    await watcher.subscribeAsync('client_test5/will/#', { qos: 1 });
    const will = (clientId: string) => ({ topic: `client_test5/will/${clientId}`, payload: Buffer.from(`${clientId} lost`), qos: 1 as const, retain: false });
    const polite = await connect('polite', { will: will('polite') });
    await polite.endAsync();
    const received = messages(watcher, 1);
    const lost = await connect('lost', { will: will('lost') });
    lost.stream.destroy();
    // Only the lost client's will: the polite one's was discarded by its DISCONNECT [MQTT-3.1.2-10].
    expect(await received).toStrictEqual([{ topic: 'client_test5/will/lost', payload: 'lost lost', retain: false, qos: 1 }]);
    await watcher.endAsync();
  });

  it('queues messages of every QoS for a session kept while its client is away', async () => {
    const { hub, connect, options } = await suiteHub();
    const session = { clean: false, properties: { sessionExpiryInterval: 600 } };
    const away = await connect('away', session);
    await away.subscribeAsync('client_test5/queued/#', { qos: 2 });
    await away.endAsync();
    const publisher = await connect('queue-filler');
    for (const qos of [0, 1, 2] as const) await publisher.publishAsync(`client_test5/queued/q${qos}`, `qos ${qos}`, { qos });
    await publisher.endAsync();
    // Mosquitto (queue_qos0_messages, as the hub sets it for its own session) keeps QoS 0 too.
    // Listening before the connection is made, so nothing delivered right after the CONNACK is missed.
    const returned = mqtt.connect(hub.mqttUrl, options('away', { ...session, reconnectPeriod: 0 }));
    const received = messages(returned, 3);
    expect((await received).map((m) => m.topic).sort()).toStrictEqual(['client_test5/queued/q0', 'client_test5/queued/q1', 'client_test5/queued/q2']);
    await returned.endAsync();
  });
});
