import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalMessage, ServerMessage } from '../../hub/protocol/messages.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';
import { waitForEvent } from '../helpers/wait.js';

afterEach(stopAllHubs);

interface Received {
  id: string;
  message: ServerMessage;
}

/** A real EventSource client that keeps what it receives. */
function follow(hub: TestHub, path: string, init?: { lastEventId?: number }) {
  const received: Received[] = [];
  const listeners = new Set<(r: Received) => void>();
  const source = new EventSource(`${hub.httpUrl}${path}`, {
    fetch: (input, options) =>
      hub.fetch(input, {
        ...options,
        headers: { ...options?.headers, ...(init?.lastEventId !== undefined && received.length === 0 ? { 'Last-Event-ID': String(init.lastEventId) } : {}) },
      }),
  });
  source.onmessage = (event) => {
    const r = { id: event.lastEventId, message: JSON.parse(event.data) as ServerMessage };
    received.push(r);
    for (const l of listeners) l(r);
  };
  const until = (predicate: (r: Received) => boolean, what: string) => {
    const found = received.find(predicate);
    if (found) return Promise.resolve(found);
    return waitForEvent<Received>((l) => (listeners.add(l), () => listeners.delete(l)), predicate, what);
  };
  return { source, received, until };
}

const power = (r: Received) => (r.message.type === 'state' ? r.message.state.power : undefined);

describe('Server-Sent Events', () => {
  it('starts with a snapshot and numbers every event with its sequence', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 's1');
    const sse = follow(hub, `/api/events`);
    const snapshot = await sse.until((r) => r.message.type === 'snapshot', 'the snapshot');
    await publish(7);
    const seven = await sse.until((r) => power(r) === 7, 'the reading');
    expect(Number(seven.id)).toBe((seven.message as JournalMessage).seq);
    expect(Number(seven.id)).toBeGreaterThan(Number(snapshot.id));
    sse.source.close();
    device.end(true);
  });

  it('resumes after Last-Event-ID with exactly the missed events', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 's2');
    await publish(0);
    const first = follow(hub, `/api/events`);
    const zero = await first.until((r) => power(r) === 0 || (r.message.type === 'snapshot' && r.message.devices.some((d) => d.state.power === 0)), 'reading 0');
    first.source.close();
    for (let w = 1; w <= 20; w++) await publish(w);
    const back = follow(hub, `/api/events`, { lastEventId: Number(zero.id) });
    await back.until((r) => power(r) === 20, 'reading 20');
    expect(back.received.map(power)).toStrictEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(back.received.map((r) => Number(r.id))).toStrictEqual(Array.from({ length: 20 }, (_, i) => Number(zero.id) + 1 + i));
    back.source.close();
    device.end(true);
  });

  it('reconnects by itself after a hub restart and catches up without gaps or repeats', async () => {
    const first = await startHub();
    const port = Number(new URL(first.httpUrl).port);
    const device = await connectMqtt(first.mqttUrl);
    const publish = await announceMeter(device, 's3');
    const sse = follow(first, `/api/events`);
    await sse.until((r) => r.message.type === 'snapshot', 'the snapshot');
    await publish(1);
    await sse.until((r) => power(r) === 1, 'reading 1');
    device.end(true);
    await first.close();

    const second = await startHub({ dataDir: first.dataDir, httpPort: port });
    const device2 = await connectMqtt(second.mqttUrl);
    const publish2 = await announceMeter(device2, 's3');
    for (let w = 2; w <= 4; w++) await publish2(w);
    await sse.until((r) => power(r) === 4, 'reading 4 after the restart');
    const ids = sse.received.filter((r) => r.message.type !== 'snapshot').map((r) => Number(r.id));
    expect(ids).toStrictEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i));
    expect(sse.received.filter((r) => r.message.type === 'snapshot')).toHaveLength(1);
    sse.source.close();
    device2.end(true);
  });
});

describe('long polling', () => {
  const poll = async (hub: TestHub, path: string) => (await hub.fetch(`${hub.httpUrl}${path}`)).json() as Promise<{ seq: number; events: JournalMessage[]; snapshot?: { devices: unknown[] } }>;

  it('starts from a snapshot, answers at once when events exist, and waits when none do', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 'p1');
    const start = await poll(hub, `/api/events/poll`);
    expect(start.snapshot?.devices).toHaveLength(1);
    await publish(3);
    await publish(4);
    // Events may still be in flight from MQTT to the journal; long polling waits for them.
    let after = start.seq;
    const got: number[] = [];
    while (got.length < 2) {
      const answer = await poll(hub, `/api/events/poll?after=${after}&timeout=30`);
      for (const e of answer.events) if (e.type === 'state') got.push(e.state.power as number);
      after = answer.seq;
    }
    expect(got).toStrictEqual([3, 4]);

    const waiting = poll(hub, `/api/events/poll?after=${after}&timeout=30`);
    await publish(5);
    const woke = await waiting;
    expect(woke.events.map((e) => e.type === 'state' && e.state.power)).toStrictEqual([5]);
    expect(woke.seq).toBe(after + 1);
    device.end(true);
  });

  it('answers with no events once the timeout passes', async () => {
    const hub = await startHub();
    const { seq } = await poll(hub, `/api/events/poll`);
    const answer = await poll(hub, `/api/events/poll?after=${seq}&timeout=1`);
    expect(answer).toStrictEqual({ seq, events: [] });
  });
});
