import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { LogTap } from '../helpers/log-tap.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';
import { SmallDisk } from '../helpers/small-disk.js';

/**
 * A full disk under a running hub, for real: the data dir on an 8 MiB tmpfs, filled as `dd`
 * fills it. SQLite then answers SQLITE_FULL to every connection. Upstream reference: SQLite's
 * own full-disk tests (test/diskfull.test) expect every write to fail cleanly with
 * SQLITE_FULL and the database to stay usable once space is back; that is what the hub must
 * build on. Without root (no tmpfs) these tests are skipped, with a message.
 */
const disks: SmallDisk[] = [];
afterEach(async () => {
  await stopAllHubs();
  for (const disk of disks.splice(0)) disk.unmount();
});

function smallDisk(): SmallDisk | null {
  const disk = SmallDisk.mount();
  if (disk) disks.push(disk);
  else console.warn('full-disk tests skipped: cannot mount a tmpfs (run as root)');
  return disk;
}

/**
 * Every byte taken, after the write-ahead log is emptied: a commit then has to grow the
 * log, and the disk refuses (a log that kept its old size would take a few commits more).
 */
async function fillDisk(hub: TestHub, disk: SmallDisk): Promise<void> {
  await hub.app.store.batch.settled();
  hub.app.store.db.pragma('wal_checkpoint(TRUNCATE)');
  disk.fill();
}

const json = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;

/** A second device's announcement, as the reproduction publishes it. */
function secondConfig(id: string) {
  return JSON.stringify({
    name: 'Temperature',
    state_topic: `plain/${id}/state`,
    value_template: '{{ value_json.temperature }}',
    unit_of_measurement: '°C',
    device_class: 'temperature',
    unique_id: `${id}_temperature`,
    device: { identifiers: [id], name: `Sensor ${id}` },
  });
}

describe('a full disk (tmpfs)', () => {
  it('keeps the hub running through a discovery message, and loses no acknowledged reading', async (context) => {
    const disk = smallDisk();
    if (!disk) return context.skip();
    const logs = new LogTap();
    const hub = await startHub({ dataDir: join(disk.dir, 'data'), logs });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    const report = await announceMeter(device, 'm1');
    await live.next('device', (m) => m.device.id === 'm1');
    await fillDisk(hub, disk);

    // QoS 1: each is acknowledged by the broker before the next is sent.
    for (let watts = 1; watts <= 50; watts++) await report(watts);
    await device.publishAsync('homeassistant/sensor/t2/temperature/config', secondConfig('t2'), { retain: true, qos: 1 });
    for (let watts = 51; watts <= 100; watts++) await report(watts);
    await logs.next('cannot write to the database');

    // Still running and serving what it knows, the new device included.
    expect((await json<{ state: { power: number } }>(hub.fetch(`${hub.httpUrl}/api/devices/m1`))).state.power).toBe(100);
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/t2`)).status).toBe(200);
    expect(await json<{ storage: { ok: boolean; error: string } }>(hub.fetch(`${hub.httpUrl}/api/health`))).toMatchObject({ storage: { ok: false, error: expect.stringMatching(/^SQLITE_FULL/) } });

    disk.free();
    const seen: number[] = [];
    while (seen.at(-1) !== 100) seen.push((await live.next('state', (m) => m.id === 'm1')).state.power as number);
    expect(seen).toStrictEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    expect((await again.fetch(`${again.httpUrl}/api/devices/t2`)).status).toBe(200);
    const history = await json<{ series: { power: [number, number][] } }>(again.fetch(`${again.httpUrl}/api/devices/m1/history?resolution=raw&from=0`));
    expect(history.series.power.map(([, v]) => v)).toStrictEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('refuses every change a user makes with 503 HEARTH_STORAGE_UNAVAILABLE, changes nothing, and answers history at once', async (context) => {
    const disk = smallDisk();
    if (!disk) return context.skip();
    const logs = new LogTap();
    // A reading's commit starts at once, so its failure shows at once.
    const hub = await startHub({ dataDir: join(disk.dir, 'data'), logs, config: { reportCommitSeconds: 0 } });
    const device = await connectMqtt(hub.mqttUrl);
    const report = await announceMeter(device, 'm1');
    await report(5);
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    await fillDisk(hub, disk);
    const send = (method: string, path: string, body?: object) =>
      hub.fetch(`${hub.httpUrl}/api${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    const refused = async (response: Promise<Response>) => {
      const answer = await response;
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ code: 'HEARTH_STORAGE_UNAVAILABLE' });
    };
    const before: Record<string, unknown> = { rooms: await json(send('GET', '/rooms')), device: await json(send('GET', '/devices/m1')), users: await json(send('GET', '/users')) };

    // Written by the request itself: the disk's refusal comes back to it.
    await refused(send('POST', '/rooms', { name: 'Attic' }));
    await refused(send('PATCH', '/devices/m1', { name: 'Renamed', favourite: true }));
    await refused(send('POST', '/mqtt/credentials', { name: 'Kitchen plug' }));
    await refused(send('POST', '/auth/tokens', { name: 'script' }));
    await refused(send('POST', '/users', { username: 'guest', password: 'long enough password', role: 'viewer' }));
    await refused(fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'owner', password: 'correct horse battery' }) }));
    // Once commits fail too, changes are refused before they start.
    await report(6);
    await logs.next('cannot write to the database');
    await refused(send('DELETE', '/devices/m1'));
    await refused(send('POST', '/rooms', { name: 'Attic' }));
    // History: a reading waits in memory for the disk, and the chart is refused at once instead of waiting the outage out.
    await refused(send('GET', '/devices/m1/history?resolution=raw&from=0'));

    expect({ rooms: await json(send('GET', '/rooms')), device: await json(send('GET', '/devices/m1')), users: await json(send('GET', '/users')) }).toStrictEqual({
      ...before,
      device: { ...(before.device as object), state: { power: 6 }, lastSeen: expect.any(Number) },
    });
    expect((await json<{ username: string }[]>(send('GET', '/mqtt/credentials'))).some((c) => c.username === 'kitchen-plug')).toBe(false);

    disk.free();
    await logs.next('database writable again');
    const history = await json<{ series: { power: [number, number][] } }>(send('GET', '/devices/m1/history?resolution=raw&from=0'));
    expect(history.series.power.map(([, v]) => v)).toStrictEqual([5, 6]);
  });

  it('opens its database on a disk too full to write, instead of exiting into a crash loop', async (context) => {
    const disk = smallDisk();
    if (!disk) return context.skip();
    const first = await startHub({ dataDir: join(disk.dir, 'data') });
    const live = await LiveClient.connect(first.wsUrl, first.headers);
    const device = await connectMqtt(first.mqttUrl);
    const report = await announceMeter(device, 'm1');
    await report(1);
    await live.next('state', (m) => m.id === 'm1');
    device.end(true);
    await first.close();
    disk.fill();

    // The WAL index lives in the hub's memory (store/sqlite.ts), not in a file that a full
    // disk has no room for: the database opens, and the hub serves what it holds.
    const hub = await startHub({ dataDir: first.dataDir, owner: false });
    disk.free();
    expect(hub.app.registry.get('m1')?.state).toStrictEqual({ power: 1 });
  });
});
