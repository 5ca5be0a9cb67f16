import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backups, nextBackupAt } from '../../hub/store/backups.js';
import { newDataDir, startHub, stopAllHubs, TEST_OWNER, type TestHub } from '../helpers/hub.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';
import { waitForCondition } from '../helpers/wait.js';

afterEach(stopAllHubs);

const CLI = (name: string) => new URL(`../../dist/hub/cli/${name}.js`, import.meta.url).pathname;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Runs `npm run <name>` as built: its exit code and what it printed. */
async function cli(name: 'backup' | 'restore', args: string[]) {
  const child = spawn(process.execPath, [CLI(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, out };
}

/** A table's rows in a stable order, read straight from a database file. */
function rows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const integrity = (file: string) => rows(file, 'PRAGMA integrity_check');

/** What a restore must bring back exactly, read from a database file. */
const held = (file: string) => ({
  devices: rows(file, 'SELECT id, name, kind, capabilities, source FROM devices ORDER BY id'),
  users: rows(file, 'SELECT id, username, password_hash, role FROM users ORDER BY id'),
  tokens: rows(file, 'SELECT id, digest, name, user_id FROM api_tokens ORDER BY id'),
  credentials: rows(file, 'SELECT username, name, hex(password_sha256) AS sha, topics FROM mqtt_credentials ORDER BY username'),
  history: rows(file, 'SELECT device_id, property, at, value FROM history ORDER BY rowid'),
});

/** 1,000 readings a second from 20 meters, in 10 ms ticks, until stopped. */
async function readingsAtOneThousandPerSecond(hub: TestHub) {
  const client = await connectMqtt(hub.mqttUrl);
  const meters = await Promise.all(Array.from({ length: 20 }, (_, i) => announceMeter(client, `meter${i}`)));
  let n = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < 10; i++) void meters[n++ % meters.length]!(n);
  }, 10);
  return { stop: () => (clearInterval(timer), client.endAsync()) };
}

describe('backups', () => {
  // SQLite's backup API: "the destination is a snapshot of the source at one moment" when the
  // copy is made in one step (sqlite.org/backup.html, sqlite3_backup_step with -1 pages).
  it('taken while 1,000 readings/s are written, passes integrity_check and restores exactly the registry, people, credentials and history it held', async () => {
    const hub = await startHub();
    await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kim', password: 'kims password', role: 'member' }) });
    await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Kitchen plug"}' });
    const load = await readingsAtOneThousandPerSecond(hub);
    // Well into the load: once readings have reached the history table, more are committed and
    // checkpointed around the copy as it is taken. Under steady load readings wait 30 s to be
    // written, but a chart's read writes its series at once: a dashboard asks for one meter's.
    const chart = setInterval(() => void hub.fetch(`${hub.httpUrl}/api/devices/meter0/history?resolution=raw`), 100);
    await waitForCondition(() => (rows(join(hub.dataDir, 'hearth.db'), 'SELECT count(*) AS n FROM history')[0] as { n: number }).n > 0, 'readings in the history table').finally(() => clearInterval(chart));
    const taken = await hub.fetch(`${hub.httpUrl}/api/backups`, { method: 'POST' });
    expect(taken.status).toBe(201);
    const backup = (await taken.json()) as { name: string; bytes: number };
    await load.stop();
    await hub.close();

    const file = join(hub.dataDir, 'backups', backup.name);
    expect(statSync(file).size).toBe(backup.bytes);
    expect(integrity(file)).toStrictEqual([{ integrity_check: 'ok' }]);
    const inBackup = held(file);
    expect(inBackup.devices).toHaveLength(20);
    expect(inBackup.users).toHaveLength(2);
    expect(inBackup.credentials).toHaveLength(1);
    expect(inBackup.history.length).toBeGreaterThan(0);
    // A copy of the moment, not of the end: later readings are not in it.
    expect(inBackup.history.length).toBeLessThan(held(join(hub.dataDir, 'hearth.db')).history.length);

    const restored = await cli('restore', [file, '--data-dir', hub.dataDir]);
    expect(restored).toStrictEqual({ code: 0, out: expect.stringContaining(`restored ${file}`) });
    expect(sha256(join(hub.dataDir, 'hearth.db'))).toBe(sha256(file));
    expect(held(join(hub.dataDir, 'hearth.db'))).toStrictEqual(inBackup);
    // The replaced database is kept aside, whole.
    // (with its -shm, if SQLite left one: the WAL's index, no data)
    const aside = readdirSync(hub.dataDir).filter((name) => /^hearth\.db\.before-restore-[\dTZ-]+\dZ$/.test(name));
    expect(aside).toHaveLength(1);
    expect(integrity(join(hub.dataDir, aside[0]!))).toStrictEqual([{ integrity_check: 'ok' }]);

    // And the hub runs on it: the owner signs in with the old password, kim is there, the meters too.
    const again = await startHub({ dataDir: hub.dataDir });
    const login = await fetch(`${again.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TEST_OWNER) });
    expect(login.status).toBe(200);
    const users = (await (await again.fetch(`${again.httpUrl}/api/users`)).json()) as { username: string }[];
    expect(users.map((u) => u.username).sort()).toStrictEqual(['kim', 'owner']);
    expect(((await (await again.fetch(`${again.httpUrl}/api/devices`)).json()) as unknown[]).length).toBe(20);
  });

  it.each([
    ['a truncated backup', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2)), /was not restored: (it fails SQLite's integrity check|SQLite cannot read it)/],
    ['a file that is not a database', (file: string) => writeFileSync(file, 'hello, I am a photo of a cat'.repeat(200)), /was not restored: it is not a SQLite database/],
    [
      'another program\'s SQLite database',
      (file: string) => {
        writeFileSync(file, '');
        const db = new Database(file);
        db.exec('CREATE TABLE devices (id TEXT); PRAGMA user_version = 3');
        db.close();
      },
      /was not restored: it is not a Hearth database \(schema version 3, no /,
    ],
  ])('refuses %s with a clear message and replaces nothing', async (_, spoil, message) => {
    const hub = await startHub();
    const backup = (await (await hub.fetch(`${hub.httpUrl}/api/backups`, { method: 'POST' })).json()) as { name: string };
    await hub.close();
    const file = join(newDataDir(), 'suspect.db');
    copyFileSync(join(hub.dataDir, 'backups', backup.name), file);
    spoil(file);
    const before = readdirSync(hub.dataDir).sort();
    const current = sha256(join(hub.dataDir, 'hearth.db'));

    const refused = await cli('restore', [file, '--data-dir', hub.dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(message);
    expect(refused.out).toContain('Nothing was changed.');
    expect(readdirSync(hub.dataDir).sort()).toStrictEqual(before);
    expect(sha256(join(hub.dataDir, 'hearth.db'))).toBe(current);
  });

  it('refuses to restore while a hub uses the data dir', async () => {
    const hub = await startHub();
    const backup = (await (await hub.fetch(`${hub.httpUrl}/api/backups`, { method: 'POST' })).json()) as { name: string };
    const refused = await cli('restore', [join(hub.dataDir, 'backups', backup.name), '--data-dir', hub.dataDir]);
    expect(refused).toStrictEqual({ code: 1, out: expect.stringContaining('is using') });
    expect(readdirSync(hub.dataDir).filter((name) => name.includes('restor'))).toStrictEqual([]);
  });

  it('npm run backup copies a running hub\'s database', async () => {
    const hub = await startHub();
    const taken = await cli('backup', ['--data-dir', hub.dataDir]);
    expect(taken).toStrictEqual({ code: 0, out: expect.stringMatching(/^backup .*hearth-.*\.db \(\d+ bytes\)\n$/) });
    const listed = (await (await hub.fetch(`${hub.httpUrl}/api/backups`)).json()) as { name: string }[];
    expect(listed).toHaveLength(1);
    expect((statSync(join(hub.dataDir, 'backups', listed[0]!.name)).mode & 0o777).toString(8)).toBe('600');
  });

  it('keeps the newest `keep` backups', async () => {
    const hub = await startHub();
    const clock = { now: Date.UTC(2026, 11, 1, 3) };
    const backups = new Backups(join(hub.dataDir, 'hearth.db'), join(hub.dataDir, 'kept'), 3, () => new Date(clock.now));
    const names: string[] = [];
    for (let night = 0; night < 5; night++, clock.now += 86_400_000) names.push((await backups.take()).name);
    expect(backups.list().map((b) => b.name)).toStrictEqual(names.slice(2).reverse());
    expect(existsSync(join(hub.dataDir, 'kept', names[0]!))).toBe(false);
  });

  it.each([
    ['before the hour: tonight', new Date(2026, 11, 7, 1, 30), new Date(2026, 11, 7, 3)],
    ['at the hour: tomorrow', new Date(2026, 11, 7, 3), new Date(2026, 11, 8, 3)],
    ['after it: tomorrow', new Date(2026, 11, 7, 22), new Date(2026, 11, 8, 3)],
  ])('schedules the nightly backup %s', (_, now, due) => {
    expect(nextBackupAt(now, 3)).toStrictEqual(due);
  });
});

describe('the backups API', () => {
  it('lists and downloads backups for the owner only', async () => {
    const hub = await startHub();
    const taken = (await (await hub.fetch(`${hub.httpUrl}/api/backups`, { method: 'POST' })).json()) as { name: string; bytes: number; takenAt: number };
    expect(await (await hub.fetch(`${hub.httpUrl}/api/backups`)).json()).toStrictEqual([{ name: taken.name, bytes: taken.bytes, takenAt: expect.any(Number) }]);
    const download = await hub.fetch(`${hub.httpUrl}/api/backups/${taken.name}`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${taken.name}"`);
    const file = join(newDataDir(), 'downloaded.db');
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    expect(sha256(file)).toBe(sha256(join(hub.dataDir, 'backups', taken.name)));
    expect((await hub.fetch(`${hub.httpUrl}/api/backups/..%2Fhearth.db`)).status).toBe(404);

    // An admin manages people and devices, but a backup holds everyone's password hash.
    await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: 'adas password', role: 'admin' }) });
    const cookie = (await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: 'adas password' }) })).headers.getSetCookie()[0]!.split(';')[0]!;
    for (const [method, path] of [['GET', 'backups'], ['POST', 'backups'], ['GET', `backups/${taken.name}`]] as const) {
      const refused = await fetch(`${hub.httpUrl}/api/${path}`, { method, headers: { cookie } });
      expect([method, path, refused.status]).toStrictEqual([method, path, 403]);
    }
  });
});
