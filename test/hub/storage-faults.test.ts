import Database from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { LogTap } from '../helpers/log-tap.js';
import { newDataDir, startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

const others: Database.Database[] = [];
afterEach(async () => {
  for (const db of others.splice(0)) if (db.open) db.close();
  await stopAllHubs();
});

/** Another process's connection to the hub's database (a backup tool, a second hub). */
function otherConnection(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'hearth.db'));
  others.push(db);
  return db;
}

const health = async (hub: TestHub) => (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { status: string; storage: { ok: boolean; error: string | null; failedCommits: number } };

/**
 * A meter whose readings are journalled, kept as state and recorded as history: three writers.
 * `reportCommitSeconds: 0` commits each reading before any client hears of it, as every event
 * other than a device's report always is.
 */
async function meterHub(logs: LogTap, config: { reportCommitSeconds?: number } = {}) {
  const hub = await startHub({ logs, config });
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  const device = await connectMqtt(hub.mqttUrl);
  const report = await announceMeter(device, 'm1');
  await live.next('device', (m) => m.device.id === 'm1');
  return { hub, live, report };
}

describe('storage faults', () => {
  it('moves a file that is not a database aside and starts from a fresh one', async () => {
    const dataDir = newDataDir();
    const garbage = 'this is not an SQLite database\n'.repeat(500);
    writeFileSync(join(dataDir, 'hearth.db'), garbage);
    const logs = new LogTap();
    const hub = await startHub({ dataDir, logs });
    expect(await health(hub)).toMatchObject({ status: 'ok', storage: { ok: true } });
    const line = await logs.next('could not be read');
    const aside = readdirSync(dataDir).filter((f) => f.startsWith('hearth.db.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(line.setAside).toBe(join(dataDir, aside[0]!));
    expect(readFileSync(join(dataDir, aside[0]!), 'utf8')).toBe(garbage);
  });

  it('waits for a database held by another process instead of failing, then starts', async () => {
    const first = await startHub();
    await first.close();
    const holder = otherConnection(first.dataDir);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE; COMMIT');
    const logs = new LogTap();
    const starting = startHub({ dataDir: first.dataDir, logs });
    await logs.next('locked by another process');
    holder.close();
    const hub = await starting;
    expect(await health(hub)).toMatchObject({ status: 'ok', storage: { ok: true } });
  });

  it('keeps serving live state while another process locks the database, and loses nothing', async () => {
    const logs = new LogTap();
    const { hub, live, report } = await meterHub(logs, { reportCommitSeconds: 0 });
    const holder = otherConnection(hub.dataDir);
    holder.exec('BEGIN IMMEDIATE');

    await report(1234);
    await logs.next('cannot write to the database');
    expect((await health(hub)).storage).toMatchObject({ ok: false, error: expect.stringMatching(/^SQLITE_BUSY/) });
    // The live state is served, but no client has been told of an event that is not on disk.
    const device = (await (await hub.fetch(`${hub.httpUrl}/api/devices/m1`)).json()) as { state: { power: number } };
    expect(device.state.power).toBe(1234);
    expect(live.messages.some((m) => m.type === 'state' && m.id === 'm1')).toBe(false);
    // A change through the API is refused with a clear reason instead.
    const refused = await hub.fetch(`${hub.httpUrl}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Attic"}' });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: 'HEARTH_STORAGE_UNAVAILABLE' });

    holder.exec('ROLLBACK');
    const state = await live.next('state', (m) => m.id === 'm1');
    expect(state.state).toStrictEqual({ power: 1234 });
    await logs.next('database writable again');
    expect((await health(hub)).storage).toMatchObject({ ok: true, error: null });

    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    const stored = (await (await again.fetch(`${again.httpUrl}/api/devices/m1`)).json()) as { state: { power: number } };
    expect(stored.state.power).toBe(1234);
    const history = (await (await again.fetch(`${again.httpUrl}/api/devices/m1/history?resolution=raw&from=0`)).json()) as { series: { power: [number, number][] } };
    expect(history.series.power.map(([, v]) => v)).toStrictEqual([1234]);
  });

  it('lets clients hear a report at once while the database is locked, and has it on disk once the lock goes', async () => {
    const logs = new LogTap();
    const { hub, live, report } = await meterHub(logs);
    const holder = otherConnection(hub.dataDir);
    holder.exec('BEGIN IMMEDIATE');

    await report(1234);
    expect((await live.next('state', (m) => m.id === 'm1')).state).toStrictEqual({ power: 1234 });
    // Its commit is due within a minute; a commit for any other reason carries it now.
    hub.app.store.batch.flush();
    await logs.next('cannot write to the database');
    holder.exec('ROLLBACK');
    await logs.next('database writable again');

    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    const history = (await (await again.fetch(`${again.httpUrl}/api/devices/m1/history?resolution=raw&from=0`)).json()) as { series: { power: [number, number][] } };
    expect(history.series.power.map(([, v]) => v)).toStrictEqual([1234]);
  });

  it('keeps running on a full disk and commits, in order, what waited once there is room', async () => {
    const logs = new LogTap();
    const { hub, live, report } = await meterHub(logs, { reportCommitSeconds: 0 });
    const { db, batch } = hub.app.store;
    // SQLite's own limit on the file's size, on the connection that writes: the same
    // SQLITE_FULL a full disk gives.
    batch.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    for (let watts = 1; watts <= 200; watts++) await report(watts);
    await logs.next('cannot write to the database');
    expect((await health(hub)).storage.error).toMatch(/^SQLITE_FULL/);

    batch.pragma('max_page_count = 1073741823');
    let last = 0;
    const seen: number[] = [];
    while (last !== 200) {
      last = ((await live.next('state', (m) => m.id === 'm1')).state as { power: number }).power;
      seen.push(last);
    }
    expect(seen).toStrictEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await health(hub)).storage.ok).toBe(true);
  });

  it('keeps running when a discovery message meets a full disk, and stores it once there is room', async () => {
    const logs = new LogTap();
    const { hub, live, report } = await meterHub(logs);
    const { db, batch } = hub.app.store;
    // Both connections at the file's size: the hub's own (where announcements were written)
    // and the writer's. An announcement this large needs pages of its own.
    const full = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${full}`);
    batch.pragma(`max_page_count = ${full}`);
    const device = await connectMqtt(hub.mqttUrl);
    const config = { name: 'Power', state_topic: 'plain/m2/state', unique_id: 'm2_power', device: { identifiers: ['m2'], name: 'Meter m2', model: 'x'.repeat(20_000) } };
    await device.publishAsync('homeassistant/sensor/m2/power/config', JSON.stringify(config), { retain: true, qos: 1 });
    await report(1);
    await logs.next('cannot write to the database');
    expect(hub.app.registry.get('m2')).toBeDefined();

    db.pragma('max_page_count = 1073741823');
    batch.pragma('max_page_count = 1073741823');
    expect((await live.next('device', (m) => m.device.id === 'm2')).device.model).toHaveLength(20_000);
    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    expect(again.app.registry.get('m2')).toBeDefined();
  });

  it('logs a pragma the database refuses and goes on writing with the same writer thread', async () => {
    const logs = new LogTap();
    const { hub, live, report } = await meterHub(logs);
    const { batch } = hub.app.store;
    batch.pragma('max_page_count = = 1');
    expect(await logs.next('the database refused a pragma')).toMatchObject({ pragma: 'max_page_count = = 1', error: expect.stringContaining('syntax error') });
    await report(7);
    expect((await live.next('state', (m) => m.id === 'm1' && (m.state as { power?: number }).power === 7)).state).toMatchObject({ power: 7 });
    expect(logs.lines.some((l) => l.msg.includes('writer thread stopped'))).toBe(false);
    expect((await health(hub)).storage).toMatchObject({ ok: true, failedCommits: 0 });
  });

  it('starts a new writer thread when the old one dies, and commits every change once, in order', async () => {
    const logs = new LogTap();
    const { hub, live, report } = await meterHub(logs);
    const { batch } = hub.app.store;
    const seen: number[] = [];
    const upTo = async (watts: number) => {
      while (seen.at(-1) !== watts) seen.push(((await live.next('state', (m) => m.id === 'm1')).state as { power: number }).power);
    };
    for (let watts = 1; watts <= 100; watts++) await report(watts);
    // The thread ends as it would from running out of memory: at any point, mid-commit included.
    await (batch as unknown as { thread: Worker }).thread.terminate();
    for (let watts = 101; watts <= 200; watts++) await report(watts);
    await logs.next('writer thread stopped');
    await upTo(200);
    expect(seen).toStrictEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await health(hub)).storage.ok).toBe(true);

    const dataDir = hub.dataDir;
    await hub.close();
    const db = otherConnection(dataDir);
    const readings = db.prepare("SELECT value FROM history WHERE device_id = 'm1' AND property = 'power' ORDER BY at, rowid").pluck().all();
    expect(readings).toStrictEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const events = db.prepare(`SELECT seq FROM events WHERE body LIKE '%"type":"state"%' AND body LIKE '%"id":"m1"%' ORDER BY seq`).pluck().all() as number[];
    expect(events).toHaveLength(200);
  });
});
