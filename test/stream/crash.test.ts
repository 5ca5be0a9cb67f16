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

/** Renames the device through the API: an event committed before any client hears of it, and every report before it with it. */
async function rename(hub: { httpUrl: string; fetch: typeof fetch }, client: LiveClient, name: string): Promise<void> {
  const answer = await hub.fetch(`${hub.httpUrl}/api/devices/k1`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  expect(answer.status).toBe(200);
  await client.next('device', (m) => m.device.name === name);
}

describe('a hub killed with SIGKILL', () => {
  it('keeps every event up to the last commit, resumes a client exactly from there, and never reuses a number a client saw', async () => {
    const dataDir = newDataDir();
    const first = await spawnHub(['--data-dir', dataDir]);
    const device = await connectMqtt(first.mqttUrl, { reconnectPeriod: 0 });
    device.on('error', () => {});
    const publish = await announceMeter(device, 'k1');
    const client = await LiveClient.connect(first.wsUrl, first.headers);
    await client.next('snapshot');
    for (let w = 1; w <= 10; w++) await publish(w);
    await client.next('state', (m) => m.state.power === 10);
    await rename(first, client, 'Meter K');
    // Reports heard at once, due on disk within a minute (--report-commit-seconds): the crash takes them back.
    for (let w = 11; w <= 30; w++) await publish(w);
    await client.next('state', (m) => m.state.power === 30);
    const seen = journalled(client.messages);

    first.child.kill('SIGKILL');
    expect((await first.exited)[1]).toBe('SIGKILL');
    device.end(true);

    const second = await spawnHub(['--data-dir', dataDir]);
    // A phone that had seen only up to reading 10 catches up on exactly what it missed, up to the last commit.
    const ten = seen.find((m) => m.type === 'state' && m.state.power === 10)!;
    const renamed = seen.find((m) => m.type === 'device' && m.device.name === 'Meter K')!;
    const phone = await LiveClient.connect(`${second.wsUrl}?since=${ten.seq}`, second.headers);
    await phone.next('resumed');
    expect(journalled(phone.messages)).toStrictEqual(seen.filter((m) => m.seq > ten.seq && m.seq <= renamed.seq));

    // A client that saw readings the crash took back starts over from the state on disk.
    const tablet = await LiveClient.connect(`${second.wsUrl}?since=${seen.at(-1)!.seq}`, second.headers);
    const snapshot = await tablet.next('snapshot');
    expect(snapshot.reset).toBe(true);
    expect(snapshot.devices.find((d) => d.id === 'k1')).toMatchObject({ name: 'Meter K', state: { power: 10 } });

    // New events carry numbers no client has seen.
    const device2 = await connectMqtt(second.mqttUrl);
    const publish2 = await announceMeter(device2, 'k1');
    await publish2(31);
    const next = await phone.next('state', (m) => m.state.power === 31);
    expect(next.seq).toBeGreaterThan(seen.at(-1)!.seq);
    expect((await tablet.next('state', (m) => m.state.power === 31)).seq).toBe(next.seq);
    const stored = (await (await second.fetch(`${second.httpUrl}/api/devices/k1`)).json()) as { state: object };
    expect(stored.state).toStrictEqual({ power: 31 });
    device2.end(true);
    client.close();
    phone.close();
    tablet.close();
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
    // Their events are committed with the rename; their history rows are still gathered.
    await rename(first, client, 'Meter K');

    first.child.kill('SIGKILL');
    expect((await first.exited)[1]).toBe('SIGKILL');
    device.end(true);
    client.close();

    const second = await spawnHub(['--data-dir', dataDir, '--journal-size', '10']);
    expect(await history(second)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
