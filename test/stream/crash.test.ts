import { afterEach, describe, expect, it } from 'vitest';
import type { JournalMessage } from '../../hub/protocol/messages.js';
import { newDataDir, stopAllHubs } from '../helpers/hub.js';
import { killAllHubProcesses, spawnHub } from '../helpers/hub-process.js';
import { LiveClient } from '../helpers/live-client.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

afterEach(async () => {
  killAllHubProcesses();
  await stopAllHubs();
});

const journalled = (messages: readonly { type: string }[]) =>
  messages.filter((m): m is JournalMessage => ['device', 'state', 'availability', 'removed', 'command'].includes(m.type));

describe('a hub killed with SIGKILL', () => {
  it('loses no event a client saw, and resumes it exactly after the restart', async () => {
    const dataDir = newDataDir();
    const first = await spawnHub(['--data-dir', dataDir]);
    const device = await connectMqtt(first.mqttUrl, { reconnectPeriod: 0 });
    device.on('error', () => {});
    const publish = await announceMeter(device, 'k1');
    const client = await LiveClient.connect(first.wsUrl, first.headers);
    await client.next('snapshot');
    for (let w = 1; w <= 30; w++) await publish(w);
    await client.next('state', (m) => m.state.power === 30);
    const seen = journalled(client.messages);

    first.child.kill('SIGKILL');
    expect((await first.exited)[1]).toBe('SIGKILL');
    device.end(true);

    const second = await spawnHub(['--data-dir', dataDir]);
    // A phone that had seen only up to reading 10 catches up on exactly what it missed.
    const ten = seen.find((m) => m.type === 'state' && m.state.power === 10)!;
    const phone = await LiveClient.connect(`${second.wsUrl}?since=${ten.seq}`, second.headers);
    await phone.next('resumed');
    expect(journalled(phone.messages)).toStrictEqual(seen.filter((m) => m.seq > ten.seq));

    // The registry and its state came back too, and new events carry new numbers.
    const device2 = await connectMqtt(second.mqttUrl);
    const publish2 = await announceMeter(device2, 'k1');
    await publish2(31);
    const next = await phone.next('state', (m) => m.state.power === 31);
    expect(next.seq).toBeGreaterThan(seen.at(-1)!.seq);
    const stored = (await (await second.fetch(`${second.httpUrl}/api/devices/k1`)).json()) as { state: object };
    expect(stored.state).toStrictEqual({ power: 31 });
    device2.end(true);
    client.close();
    phone.close();
  });

  it('keeps every history reading once: those gathered in memory come back from the journal', async () => {
    const dataDir = newDataDir();
    // A journal of 10 events: the readings still gathered must hold back its pruning.
    const first = await spawnHub(['--data-dir', dataDir, '--journal-size', '10']);
    const device = await connectMqtt(first.mqttUrl, { reconnectPeriod: 0 });
    device.on('error', () => {});
    const publish = await announceMeter(device, 'k1');
    const client = await LiveClient.connect(first.wsUrl, first.headers);
    await client.next('snapshot');
    const history = async (hub: { httpUrl: string; fetch: typeof fetch }) =>
      ((await (await hub.fetch(`${hub.httpUrl}/api/devices/k1/history?resolution=raw&from=0`)).json()) as { series: { power: [number, number][] } }).series.power.map(([, w]) => w);
    for (let w = 1; w <= 20; w++) await publish(w);
    await client.next('state', (m) => m.state.power === 20);
    // Reading the history writes what was gathered so far; the next readings stay in memory.
    expect(await history(first)).toStrictEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let w = 21; w <= 50; w++) await publish(w);
    await client.next('state', (m) => m.state.power === 50);

    first.child.kill('SIGKILL');
    expect((await first.exited)[1]).toBe('SIGKILL');
    device.end(true);
    client.close();

    const second = await spawnHub(['--data-dir', dataDir, '--journal-size', '10']);
    expect(await history(second)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
