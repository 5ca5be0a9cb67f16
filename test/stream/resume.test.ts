import { afterEach, describe, expect, it } from 'vitest';
import type { JournalMessage } from '../../hub/protocol/messages.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const journalled = (messages: readonly { type: string }[]) =>
  messages.filter((m): m is JournalMessage => ['device', 'state', 'availability', 'removed', 'command'].includes(m.type));

const readings = (messages: readonly { type: string }[]) =>
  messages.filter((m): m is Extract<JournalMessage, { type: 'state' }> => m.type === 'state').map((m) => m.state.power);

describe('WebSocket resume', () => {
  it('gives a reconnecting client exactly the events it missed, in order', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 'm1');
    const watcher = await LiveClient.connect(hub.wsUrl, hub.headers);
    await watcher.next('snapshot');
    await publish(0);
    await watcher.next('state', (m) => m.state.power === 0);

    const phone = await LiveClient.connect(hub.wsUrl, hub.headers);
    const { seq } = await phone.next('snapshot');
    phone.close();
    for (let watts = 1; watts <= 50; watts++) await publish(watts);
    await watcher.next('state', (m) => m.state.power === 50);

    const back = await LiveClient.connect(`${hub.wsUrl}?since=${seq}`, hub.headers);
    const resumed = await back.next('resumed');
    const missed = back.messages.slice(0, -1) as JournalMessage[];
    expect(readings(missed)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Exactly what a client that never left saw after that point: same events, same numbers.
    const stayed = journalled(watcher.messages).filter((m) => m.seq > seq);
    expect(missed).toStrictEqual(stayed);
    expect(missed.map((m) => m.seq)).toStrictEqual(Array.from({ length: missed.length }, (_, i) => seq + 1 + i));
    expect(resumed).toStrictEqual({ type: 'resumed', from: seq, seq: missed.at(-1)!.seq });

    await publish(51);
    expect((await back.next('state')).state.power).toBe(51);
    [device.end(true), watcher.close(), back.close()];
  });

  it('sends a snapshot flagged reset when the missed events are no longer kept', async () => {
    const hub = await startHub({ journalSize: 10 });
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 'm2');
    const watcher = await LiveClient.connect(hub.wsUrl, hub.headers);
    const { seq } = await watcher.next('snapshot');
    for (let watts = 1; watts <= 40; watts++) await publish(watts);
    await watcher.next('state', (m) => m.state.power === 40);
    // The journal keeps events whose readings and states are not written yet (a few seconds'
    // worth): once they are, the next events let it prune down to its size.
    await Promise.all([hub.app.history.flush(), hub.app.store.flushStates()]);
    for (let watts = 41; watts <= 45; watts++) await publish(watts);
    await watcher.next('state', (m) => m.state.power === 45);

    const back = await LiveClient.connect(`${hub.wsUrl}?since=${seq}`, hub.headers);
    const snapshot = await back.next('snapshot');
    expect(snapshot.reset).toBe(true);
    expect(snapshot.devices.find((d) => d.id === 'm2')?.state).toStrictEqual({ power: 45 });
    expect(snapshot.seq).toBe(watcher.messages.at(-1)!.type === 'state' ? (watcher.messages.at(-1) as JournalMessage).seq : -1);
    [device.end(true), watcher.close(), back.close()];
  });

  it('resumes across a hub restart, with sequence numbers that are never reused', async () => {
    const first = await startHub();
    const device = await connectMqtt(first.mqttUrl);
    const publish = await announceMeter(device, 'm3');
    const client = await LiveClient.connect(first.wsUrl, first.headers);
    await client.next('snapshot');
    for (let watts = 1; watts <= 5; watts++) await publish(watts);
    const last = await client.next('state', (m) => m.state.power === 5);
    device.end(true);
    client.close();
    await first.close();

    const second = await startHub({ dataDir: first.dataDir });
    const device2 = await connectMqtt(second.mqttUrl);
    const publish2 = await announceMeter(device2, 'm3');
    await publish2(6);
    const back = await LiveClient.connect(`${second.wsUrl}?since=${last.seq}`, second.headers);
    const six = await back.next('state', (m) => m.state.power === 6);
    expect(six.seq).toBeGreaterThan(last.seq);
    const all = journalled(back.messages);
    expect(all.map((m) => m.seq)).toStrictEqual(Array.from({ length: all.length }, (_, i) => last.seq + 1 + i));
    [device2.end(true), back.close()];
  });

  it('refuses a resume point that is not a number', async () => {
    const hub = await startHub();
    const response = await hub.fetch(`${hub.httpUrl}/api/events/poll?after=yesterday`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/after/);
  });
});
