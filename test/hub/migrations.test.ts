import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrations, openDatabase, SCHEMA_VERSION } from '../../hub/store/database.js';
import { newDataDir, startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { announceMeter, announceSwitch, connectMqtt } from '../helpers/mqtt.js';

/**
 * Every schema main has had, as the migrations its commit ran, by their place in today's
 * list (`git log --first-parent main -- hub/store/database.ts`). Two were not a prefix of
 * today's list: people (users) came in as version 4 and device credentials as 5, before the
 * summary indexes were merged in as 4 ahead of them.
 */
const upTo = (last: number) => Array.from({ length: last + 1 }, (_, i) => i);
const SCHEMAS_OF_MAIN: [commit: string, applied: number[]][] = [
  ['d2608ca hub core', [0]],
  ['02d67f0 event journal', [0, 1]],
  ['bad37a0 history', [0, 1, 2]],
  ['d33d4af people', [0, 1, 2, 4]],
  ['3358dd4 MQTT credentials merged', [0, 1, 2, 4, 5]],
  ['a046699 summary indexes merged', [0, 1, 2, 3, 4, 5]],
  ['774853f roll-up progress', [0, 1, 2, 3, 4, 5, 6]],
  ['e8d35a1 device state table', [0, 1, 2, 3, 4, 5, 6, 7]],
  ['70d6ec4 writer progress', [0, 1, 2, 3, 4, 5, 6, 7, 8]],
  ['996cc6f replay progress', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ['3a2db9c broker sessions and retained messages', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ['89d674b history rows keep their event', upTo(11)],
  ['449bbf2 where sessions started, who published discovery', upTo(12)],
  ['aa40768 credentials hashed for Mosquitto', upTo(13)],
  ['923c664 devices keep their entities', upTo(14)],
  ['e491cb4 automations and scenes', upTo(15)],
];

afterEach(stopAllHubs);

/** A database of today's hub with a bit of everything: devices, state, events, history, people, a credential. */
let source: string;
beforeAll(async () => {
  const hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  const device = await connectMqtt(hub.mqttUrl);
  await announceSwitch(device, 'lamp7');
  await device.publishAsync('plain/lamp7/state', 'ON');
  const meter = await announceMeter(device, 'meter1');
  for (const watts of [10, 20, 30]) await meter(watts);
  await live.next('state', (m) => m.id === 'meter1' && m.state.power === 30);
  await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kim', password: 'kims password', role: 'member' }) });
  await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Kitchen plug"}' });
  live.close();
  await device.endAsync();
  await hub.close();
  // Out of the hub's data dir, which goes after the first test.
  source = join(mkdtempSync(join(tmpdir(), 'hearth-migrations-')), 'source.db');
  copyFileSync(join(hub.dataDir, 'hearth.db'), source);
});
afterAll(() => rmSync(join(source, '..'), { recursive: true, force: true }));

/** What the hub kept in `devices` and, since migration 8, in `device_state` instead. */
const MOVED_TO_DEVICE_STATE = ['state', 'last_seen', 'updated_at'];

/**
 * A database as the hub of `applied` left it: those migrations, in that order, with the
 * rows of `source` in the columns that schema had.
 */
function fixture(applied: number[]): string {
  const file = join(newDataDir(), 'hearth.db');
  const db = new Database(file);
  const from = new Database(source, { readonly: true });
  for (const index of applied) db.exec(migrations[index]!);
  db.pragma(`user_version = ${applied.length}`);
  for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${name})`).all().map((c) => c.name);
    const select = name === 'devices' ? columns.map((c) => (MOVED_TO_DEVICE_STATE.includes(c) ? `(SELECT ${c} FROM device_state s WHERE s.id = devices.id) AS ${c}` : c)) : columns;
    const insert = db.prepare(`INSERT OR REPLACE INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of from.prepare(`SELECT ${select.join(', ')} FROM ${name}`).raw().all() as unknown[][]) insert.run(...row);
  }
  from.close();
  db.close();
  return file;
}

/** The rows of every table `file` has, in the columns it has: what a migration must keep. */
function contents(file: string, tablesOf = file): Record<string, unknown[]> {
  const schema = new Database(tablesOf, { readonly: true });
  const db = new Database(file, { readonly: true });
  const tables = schema.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('writer_progress', 'replay_progress', 'history_rollup') ORDER BY name").all();
  const found = Object.fromEntries(
    tables.map(({ name }) => {
      const columns = schema.prepare<[], { name: string }>(`PRAGMA table_info(${name})`).all().map((c) => c.name);
      return [name, db.prepare(`SELECT ${columns.join(', ')} FROM ${name} ORDER BY ${columns.join(', ')}`).raw().all()];
    }),
  );
  schema.close();
  db.close();
  return found;
}

describe('a database from every schema main has had', () => {
  it.each(SCHEMAS_OF_MAIN)('%s opens on today\'s hub, migrated, with nothing lost', async (_, applied) => {
    const file = fixture(applied);
    const before = join(newDataDir(), 'before.db');
    copyFileSync(file, before);

    const { db } = openDatabase(join(file, '..'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    // Every row of every table it had, in every column it had; the state moved to its own table.
    expect(contents(file, before)).toStrictEqual(contents(before));
    expect(contents(file).device_state).toStrictEqual(contents(source).device_state);
    // The retained announcements are among them: their table is rebuilt with rowids by a later migration.
    if (applied.includes(10)) expect(contents(before).mqtt_retained!.length).toBeGreaterThanOrEqual(2);

    // And the hub runs on it: the devices with their last state, people who can sign in, credentials.
    const hub = await startHub({ dataDir: join(file, '..') });
    const devices = (await (await hub.fetch(`${hub.httpUrl}/api/devices`)).json()) as { id: string; state: Record<string, unknown> }[];
    expect(devices.map((d) => [d.id, d.state]).sort()).toStrictEqual([['lamp7', { on: true }], ['meter1', { power: 30 }]]);
    const hadPeople = applied.includes(4);
    const login = await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kim', password: 'kims password' }) });
    expect(login.status).toBe(hadPeople ? 200 : 401);
    const credentials = (await (await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`)).json()) as { name: string }[];
    expect(credentials.map((c) => c.name)).toStrictEqual(applied.includes(5) ? ['Kitchen plug'] : []);
  });
});
