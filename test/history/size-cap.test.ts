import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../../hub/history/history.js';
import { openDatabase, type Db } from '../../hub/store/database.js';
import { WriteBatch } from '../../hub/store/write-batch.js';
import { newDataDir, stopAllHubs } from '../helpers/hub.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

let db: Db | undefined;
let batch: WriteBatch | undefined;
afterEach(async () => {
  await batch?.close();
  db?.close();
  db = batch = undefined;
  await stopAllHubs();
});

const one = <T,>(sql: string) => db!.prepare(sql).get() as T;
const usedBytes = () => one<{ b: number }>('SELECT (page_count - freelist_count) * page_size AS b FROM pragma_page_count, pragma_freelist_count, pragma_page_size').b;

// SQLite's own rule for a size limit (PRAGMA max_page_count) is to refuse writes past it; a hub
// must keep recording, so --history-max-mb makes room by dropping the oldest raw rows instead.
describe('the history size cap', () => {
  it('drops the oldest raw rows until the database is under the cap, and keeps every newer one', async () => {
    const clock = { now: T0 };
    db = openDatabase(newDataDir()).db;
    batch = new WriteBatch(db);
    const history = new History(db, batch, { rawDays: 7, minuteDays: 30, hourDays: 730, maxMb: 1 }, () => clock.now);
    // Ten sensors, a reading each every 2 s for 3 hours: 54,000 rows, several MB with their indexes.
    for (let at = T0; at < T0 + 180 * MINUTE; at += 2000) for (let s = 0; s < 10; s++) history.record(`sensor${s}`, { temperature: at / 1000 + s }, at);
    await history.flush();
    expect(usedBytes()).toBeGreaterThan(4 * 1_048_576);
    clock.now = T0 + 181 * MINUTE;

    await history.rollUp();

    expect(usedBytes()).toBeLessThanOrEqual(1_048_576);
    const kept = one<{ n: number; first: number; last: number }>('SELECT count(*) AS n, min(at) AS first, max(at) AS last FROM history');
    expect(kept.n).toBeGreaterThan(1000);
    expect(kept.last).toBe(T0 + 180 * MINUTE - 2000);
    // Oldest first: what is left is every reading from the first one kept on, none missing.
    expect(kept.n).toBe(((T0 + 180 * MINUTE - kept.first) / 2000) * 10);
    // The summaries of what was dropped stay.
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM history_minute WHERE bucket < ${kept.first - MINUTE}`).n).toBeGreaterThan(0);
    expect(await history.read('sensor3', 'temperature', T0 + 179 * MINUTE, T0 + 180 * MINUTE, 'raw')).toHaveLength(30);
  });

  it('is off by default: nothing within the retention is dropped', async () => {
    const clock = { now: T0 };
    db = openDatabase(newDataDir()).db;
    batch = new WriteBatch(db);
    const history = new History(db, batch, { rawDays: 7, minuteDays: 30, hourDays: 730 }, () => clock.now);
    for (let at = T0; at < T0 + 60 * MINUTE; at += 2000) for (let s = 0; s < 10; s++) history.record(`sensor${s}`, { temperature: s }, at);
    await history.flush();
    clock.now = T0 + 61 * MINUTE;
    await history.rollUp();
    expect(one<{ n: number }>('SELECT count(*) AS n FROM history').n).toBe(18_000);
  });
});
