import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs, type TestHub } from '../../helpers/hub.js';
import { connectMqtt, nextMessage, untilMessages } from '../../helpers/mqtt.js';
import { waitForEvent } from '../../helpers/wait.js';

/**
 * What the embedded broker holds outlives a restart, as Mosquitto's persistence does
 * (mosquitto.conf `persistence true`; eclipse/mosquitto test/broker/04-retain-check-source-persist.py
 * and 11-persistent-subscription.py restart the broker between two clients the same way),
 * and an offline session's queue is bounded like Mosquitto's `max_queued_messages`.
 */
afterAll(stopAllHubs);

/** Resolves once the broker has taken `topic` in: its offline queues are filled by then. */
const taken = (hub: TestHub, topic: string, payload: string) =>
  waitForEvent<{ topic: string; payload: Buffer }>((listener) => hub.app.mqtt.onMessage(listener), (m) => m.topic === topic && m.payload.toString() === payload, `${topic} ${payload} at the broker`);

/** Every message `client` receives from now on, as "topic payload". */
function received(client: MqttClient): string[] {
  const seen: string[] = [];
  client.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
  return seen;
}

/** A persistent session subscribed to `filter` at QoS 1, then gone offline. */
async function leaveSession(hub: TestHub, clientId: string, filter: string): Promise<void> {
  const client = await connectMqtt(hub.mqttUrl, { clientId, clean: false });
  await client.subscribeAsync(filter, { qos: 1 });
  await client.endAsync();
}

/** Publishes `payloads` at QoS 1 and waits until the broker has handled the last. */
async function publishAll(hub: TestHub, topic: string, payloads: string[], options: { qos: 1 | 2; retain?: boolean } = { qos: 1 }): Promise<void> {
  const publisher = await connectMqtt(hub.mqttUrl, { clientId: `publisher-${topic.replace(/\W/g, '-')}` });
  const last = taken(hub, topic, payloads.at(-1)!);
  for (const payload of payloads) await publisher.publishAsync(topic, payload, options);
  await last;
  await publisher.endAsync();
}

/**
 * Reconnects a persistent session and collects what it is sent: `expected` messages, then
 * nothing more up to a marker published after them (aedes may send a new message before the
 * queue is all out, so the marker only comes once the expected ones are in).
 */
async function resume(hub: TestHub, clientId: string, topic: string, expected: number): Promise<{ sessionPresent: boolean; messages: string[] }> {
  const client = mqtt.connect(hub.mqttUrl, { clientId, clean: false, reconnectPeriod: 0 });
  const messages = received(client);
  const { sessionPresent } = await new Promise<IConnackPacket>((resolve, reject) => client.once('connect', resolve).once('error', reject));
  await untilMessages(client, () => messages.length >= expected, `${expected} queued messages`);
  const marker = nextMessage(client, topic);
  await hub.app.mqtt.publish(topic, 'marker', { qos: 1 });
  await marker;
  await client.endAsync();
  return { sessionPresent, messages: messages.filter((m) => m !== `${topic} marker`) };
}

describe('embedded broker persistence across a restart', () => {
  it('keeps retained messages, persistent sessions and their queued QoS 1 and 2 messages', async () => {
    const first = await startHub();
    await leaveSession(first, 'keeper', 'persist/cmd');
    await publishAll(first, 'persist/retained', ['kept'], { qos: 1, retain: true });
    await publishAll(first, 'persist/cmd', ['one', 'two'], { qos: 1 });
    await publishAll(first, 'persist/cmd', ['three'], { qos: 2 });
    await first.close();

    const second = await startHub({ dataDir: first.dataDir });
    const reader = await connectMqtt(second.mqttUrl, { clientId: 'reader' });
    const retained = nextMessage(reader, 'persist/retained');
    await reader.subscribeAsync('persist/retained');
    expect(await retained).toBe('kept');
    await reader.endAsync();
    expect(await resume(second, 'keeper', 'persist/cmd', 3)).toStrictEqual({
      sessionPresent: true,
      messages: ['persist/cmd one', 'persist/cmd two', 'persist/cmd three'],
    });
  });

  it('forgets what was delivered and what was cleared before the restart', async () => {
    const first = await startHub();
    await leaveSession(first, 'delivered', 'forget/cmd');
    await publishAll(first, 'forget/retained', ['gone'], { qos: 1, retain: true });
    await publishAll(first, 'forget/retained', [''], { qos: 1, retain: true });
    await publishAll(first, 'forget/cmd', ['once'], { qos: 1 });
    expect((await resume(first, 'delivered', 'forget/cmd', 1)).messages).toStrictEqual(['forget/cmd once']);
    await first.close();

    const second = await startHub({ dataDir: first.dataDir });
    expect(await resume(second, 'delivered', 'forget/cmd', 0)).toStrictEqual({ sessionPresent: true, messages: [] });
    const reader = await connectMqtt(second.mqttUrl, { clientId: 'reader' });
    const seen = received(reader);
    await reader.subscribeAsync('forget/#');
    const marker = nextMessage(reader, 'forget/marker');
    await second.app.mqtt.publish('forget/marker', 'x');
    await marker;
    expect(seen).toStrictEqual(['forget/marker x']);
    await reader.endAsync();
  });
});

describe('offline queue limit (--mqtt-max-queued)', () => {
  it('keeps the oldest messages of a full queue, drops the new ones as Mosquitto does, and counts them in /api/health', async () => {
    const hub = await startHub({ config: { mqttMaxQueued: 5 } });
    await leaveSession(hub, 'sleeper', 'queue/cmd');
    await publishAll(hub, 'queue/cmd', ['1', '2', '3', '4', '5', '6', '7', '8'], { qos: 1 });
    const response = await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers });
    expect(((await response.json()) as { mqtt: { droppedQueuedMessages: number } }).mqtt.droppedQueuedMessages).toBe(3);
    expect((await resume(hub, 'sleeper', 'queue/cmd', 5)).messages).toStrictEqual(['1', '2', '3', '4', '5'].map((n) => `queue/cmd ${n}`));
    // Delivered, the queue has room again.
    await publishAll(hub, 'queue/cmd', ['9'], { qos: 1 });
    expect((await resume(hub, 'sleeper', 'queue/cmd', 1)).messages).toStrictEqual(['queue/cmd 9']);
  });
});
