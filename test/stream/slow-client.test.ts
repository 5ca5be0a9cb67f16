import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalMessage } from '../../hub/protocol/messages.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { connectMqtt } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const EVENTS = 5000;
const BURST = 250;
const NOTE = 'x'.repeat(2000);

describe('a client that stops reading', () => {
  it('is closed with 1013 instead of growing the hub, others get every event, and it resumes exactly', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    const config = { name: 'Note', state_topic: 'plain/log/state', value_template: '{{ value_json.note }}', device: { identifiers: ['log'], name: 'Logger' } };
    await device.publishAsync('homeassistant/sensor/log/note/config', JSON.stringify(config), { retain: true, qos: 1 });

    const slow = await LiveClient.connect(hub.wsUrl, hub.headers);
    const { seq: start } = await slow.next('snapshot');
    const fast = await LiveClient.connect(hub.wsUrl, hub.headers);
    await fast.next('snapshot');
    // The slow client's socket stops reading: what the hub sends piles up on its side.
    const tcp = (slow.socket as unknown as { _socket: Socket })._socket;
    tcp.pause();

    // In bursts a healthy client absorbs; the paused one falls further behind with each.
    for (let burst = 0; burst < EVENTS / BURST; burst++) {
      for (let i = burst * BURST; i < (burst + 1) * BURST; i++) await device.publishAsync('plain/log/state', JSON.stringify({ note: `${i} ${NOTE}` }));
      await fast.next('state', (m) => String(m.state.note).startsWith(`${(burst + 1) * BURST - 1} `));
    }
    const fastNotes = fast.messages.filter((m) => m.type === 'state').map((m) => parseInt(String((m as JournalMessage & { type: 'state' }).state.note)));
    expect(fastNotes).toStrictEqual(Array.from({ length: EVENTS }, (_, i) => i));

    const closed = once(slow.socket, 'close');
    tcp.resume();
    const [code] = (await closed) as [number];
    expect(code).toBe(1013);
    const seen = slow.messages.filter((m): m is JournalMessage => 'seq' in m && m.type === 'state');
    // The hub stopped sending long before the end: its buffer for this client stayed bounded.
    expect(seen.length).toBeLessThan(EVENTS);
    expect(seen.map((m) => m.seq)).toStrictEqual(Array.from({ length: seen.length }, (_, i) => seen[0]!.seq + i));

    const back = await LiveClient.connect(`${hub.wsUrl}?since=${seen.at(-1)?.seq ?? start}`, hub.headers);
    await back.next('resumed');
    const all = [...seen, ...back.messages.filter((m): m is JournalMessage => m.type === 'state')];
    expect(all.map((m) => parseInt(String((m as JournalMessage & { type: 'state' }).state.note)))).toStrictEqual(fastNotes);
    device.end(true);
    fast.close();
    back.close();
  });
});
