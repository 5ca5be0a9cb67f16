import { afterEach, describe, expect, it } from 'vitest';
import type { Capability } from '../../hub/protocol/device.js';
import { DeviceRegistry, type DeviceDescription } from '../../hub/registry/registry.js';
import { openDatabase } from '../../hub/store/database.js';
import { DeviceStore } from '../../hub/store/device-store.js';
import { newDataDir } from '../helpers/hub.js';

const open: DeviceStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const log = { error: (obj: object, msg: string) => console.error(msg, obj) };

function registryOn(dataDir: string) {
  const store = new DeviceStore(openDatabase(dataDir).db);
  open.push(store);
  return { store, registry: new DeviceRegistry(store, log) };
}

async function reopen(dataDir: string, store: DeviceStore) {
  open.splice(open.indexOf(store), 1);
  await store.close();
  return registryOn(dataDir);
}

const sensor: Capability = { type: 'sensor', property: 'temperature', writable: false, label: 'Temperature', unit: '°C' };
const lamp: Capability = { type: 'switch', property: 'on', writable: true };
const describeDevice = (id: string, capabilities: Capability[] = [sensor]): DeviceDescription => ({
  id,
  name: id,
  kind: capabilities.some((c) => c.type === 'switch') ? 'light' : 'sensor',
  manufacturer: null,
  model: null,
  capabilities,
  entities: [],
  source: { protocol: 'homeassistant', topics: { discovery: [], state: [], command: [], availability: [] }, problems: [] },
});

describe('device store', () => {
  it('keeps a state reported in the same commit as the device first announced', async () => {
    const dataDir = newDataDir();
    const { store, registry } = registryOn(dataDir);
    registry.describe(describeDevice('other'));
    await store.batch.settled();
    // Another device's state is already waiting for the commit when t1 is first announced.
    registry.report('other', { temperature: 5 }, 500);
    registry.describe(describeDevice('t1'));
    registry.report('t1', { temperature: 21.5 }, 1000);
    const again = await reopen(dataDir, store);
    expect(again.registry.get('t1')).toMatchObject({ state: { temperature: 21.5 }, lastSeen: 1000 });
  });

  it('keeps the latest of many states, and a re-announcement drops properties the device no longer has', async () => {
    const dataDir = newDataDir();
    const { store, registry } = registryOn(dataDir);
    registry.describe(describeDevice('p1', [lamp, sensor]));
    for (let i = 0; i < 100; i++) registry.report('p1', { on: i % 2 === 0, temperature: i }, i);
    await store.batch.settled();
    registry.describe(describeDevice('p1', [lamp]));
    const again = await reopen(dataDir, store);
    expect(again.registry.get('p1')).toMatchObject({ state: { on: false }, lastSeen: 99 });
  });

  it('gives a device removed and announced again at once its new state, and forgets a removed one', async () => {
    const dataDir = newDataDir();
    const { store, registry } = registryOn(dataDir);
    registry.describe(describeDevice('t2'));
    registry.describe(describeDevice('gone'));
    await store.batch.settled();
    registry.report('t2', { temperature: 1 }, 1);
    registry.report('gone', { temperature: 2 }, 2);
    registry.remove('t2');
    registry.remove('gone');
    registry.describe(describeDevice('t2'));
    registry.report('t2', { temperature: 3 }, 3);
    const again = await reopen(dataDir, store);
    expect(again.registry.get('t2')).toMatchObject({ state: { temperature: 3 }, lastSeen: 3 });
    expect(again.registry.get('gone')).toBeUndefined();
    expect(again.store.db.prepare("SELECT count(*) AS n FROM device_state WHERE id = 'gone'").get()).toStrictEqual({ n: 0 });
  });

  it('moves the state of a database from before the state table into it', async () => {
    const dataDir = newDataDir();
    const { store, registry } = registryOn(dataDir);
    registry.describe(describeDevice('old'));
    await store.batch.settled();
    // What a hub of schema version 7 left: state on the device row, and neither the state
    // table nor anything after it.
    store.db.exec(`DROP INDEX history_10s; CREATE INDEX history_at ON history (at); DROP TABLE device_state; DROP TABLE writer_progress; DROP TABLE replay_progress; DROP TABLE mqtt_retained; DROP TABLE mqtt_sessions; DROP TABLE mqtt_queued; ALTER TABLE history DROP COLUMN seq; ALTER TABLE history_rollup DROP COLUMN rows_to; ALTER TABLE sessions DROP COLUMN address; ALTER TABLE sessions DROP COLUMN user_agent; ALTER TABLE discovery DROP COLUMN publisher; ALTER TABLE mqtt_credentials DROP COLUMN mosquitto_hash; ALTER TABLE devices DROP COLUMN entities; DROP TABLE scenes; DROP TABLE automations; DROP TABLE automation_edits; DROP TABLE automation_traces; DROP TABLE automation_holds; DROP TABLE notifications; DROP TABLE home_settings; UPDATE devices SET state = '{"temperature":7}', last_seen = 70 WHERE id = 'old'; PRAGMA user_version = 7`);
    const again = await reopen(dataDir, store);
    expect(again.registry.get('old')).toMatchObject({ state: { temperature: 7 }, lastSeen: 70 });
  });
});
