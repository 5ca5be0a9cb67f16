import { afterEach, describe, expect, it } from 'vitest';
import type { JournalMessage, ServerMessage } from '../../hub/protocol/messages.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const ROUNDS = 12;
const PER_ROUND = 250;
const READINGS = ROUNDS * PER_ROUND;

/** The meter's power as a client knows it: from its snapshot, then from each state event. */
function powerSeen(messages: readonly ServerMessage[]): { snapshotSeq: number; snapshotPower: unknown; events: JournalMessage[] } {
  const [snapshot, ...rest] = messages;
  if (snapshot?.type !== 'snapshot') throw new Error(`first message was ${snapshot?.type}`);
  const meter = snapshot.devices.find((d) => d.id === 'm1');
  return { snapshotSeq: snapshot.seq, snapshotPower: meter?.state.power, events: rest as JournalMessage[] };
}

describe('joining while events are being committed', () => {
  it('gives each new client a snapshot that matches its number, then every later event exactly once', async () => {
    const hub = await startHub();
    const watcher = await LiveClient.connect(hub.wsUrl, hub.headers);
    await watcher.next('snapshot');
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 'm1');
    await watcher.next('device', (m) => m.device.id === 'm1');

    // Rounds of readings sent without waiting, a client joining as each round goes out.
    const joining: Promise<LiveClient>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 1; i <= PER_ROUND; i++) void publish(round * PER_ROUND + i);
      joining.push(LiveClient.connect(hub.wsUrl, hub.headers));
      await watcher.next('state', (m) => m.state.power === (round + 1) * PER_ROUND);
    }
    const joiners = await Promise.all(joining);

    const everyEvent = new Map((watcher.messages as JournalMessage[]).filter((m) => 'seq' in m).map((m) => [m.seq, m]));
    const joinedMidway = new Set<number>();
    for (const client of joiners) {
      const snapshot = await client.next('snapshot');
      if (snapshot.devices.find((d) => d.id === 'm1')?.state.power !== READINGS) await client.next('state', (m) => m.state.power === READINGS);
      const { snapshotSeq, snapshotPower, events } = powerSeen(client.messages);
      // The snapshot holds the state of the last event it says it includes: not one before, not one after.
      const lastIncluded = [...everyEvent.values()].filter((e) => e.seq <= snapshotSeq && e.type === 'state' && e.id === 'm1').at(-1);
      expect(snapshotPower).toBe(lastIncluded?.type === 'state' ? lastIncluded.state.power : undefined);
      // Then exactly the events after it, in order, as the client that never left saw them.
      expect(events.map((e) => e.seq)).toStrictEqual(Array.from({ length: events.length }, (_, i) => snapshotSeq + 1 + i));
      for (const e of events) expect(e).toStrictEqual(everyEvent.get(e.seq));
      joinedMidway.add(snapshotSeq);
    }
    // Clients joined at different points of the flood, not all after it.
    expect(joinedMidway.size).toBeGreaterThan(ROUNDS / 2);
  });
});
