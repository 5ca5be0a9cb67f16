import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../../hub/history/history.js';
import { openDatabase, type Db } from '../../hub/store/database.js';
import { WriteBatch } from '../../hub/store/write-batch.js';
import { newDataDir } from '../helpers/hub.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 1);
const RETENTION = { rawDays: 7, minuteDays: 30, hourDays: 730 };

const open: { db: Db; batch: WriteBatch }[] = [];
afterEach(async () => {
  for (const { db, batch } of open.splice(0)) await closeBoth(db, batch);
});

async function closeBoth(db: Db, batch: WriteBatch): Promise<void> {
  await batch.close();
  db.close();
}

function historyOn(dataDir: string, clock: { now: number }) {
  const { db } = openDatabase(dataDir);
  const batch = new WriteBatch(db);
  open.push({ db, batch });
  return { db, batch, history: new History(db, batch, RETENTION, () => clock.now) };
}

/** 3 devices, two readings a second for 70 minutes: 25,200 rows, many slices, two hours. */
async function recordMany(history: History): Promise<Map<string, number[]>> {
  const byMinute = new Map<string, number[]>();
  for (let i = 0; i < 70 * 120; i++) {
    const at = T0 + 30 * MINUTE + i * 500;
    for (const device of ['a', 'b', 'c']) {
      const value = (i * 7 + device.charCodeAt(0)) % 100;
      history.record(device, { power: value }, at);
      const key = `${device}:${Math.floor(at / MINUTE) * MINUTE}`;
      byMinute.set(key, [...(byMinute.get(key) ?? []), value]);
    }
  }
  await history.flush();
  return byMinute;
}

const summary = (values: number[]) => [Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1e4) / 1e4, Math.min(...values), Math.max(...values)];

describe('history summaries made a slice at a time', () => {
  it('give the same minutes and hours as summarising all at once', async () => {
    const clock = { now: T0 };
    const { history } = historyOn(newDataDir(), clock);
    const byMinute = await recordMany(history);
    clock.now = T0 + 3 * HOUR;
    let steps = 0;
    while (await history.rollUpStep()) steps++;
    expect(steps).toBeGreaterThan(5);

    const minutes = await history.read('b', 'power', T0, clock.now, 'minute');
    expect(minutes).toHaveLength(70);
    for (const [bucket, ...rest] of minutes) expect(rest).toStrictEqual(summary(byMinute.get(`b:${bucket}`)!));
    const hours = await history.read('a', 'power', T0, clock.now, 'hour');
    const inHour = (h: number) => [...byMinute].filter(([k]) => k.startsWith('a:') && Math.floor(Number(k.slice(2)) / HOUR) * HOUR === h).flatMap(([, v]) => v);
    expect(hours).toStrictEqual([T0, T0 + HOUR].map((h) => [h, ...summary(inHour(h))]));
  });

  it('resume exactly where a stopped run left off, counting nothing twice', async () => {
    const clock = { now: T0 };
    const dataDir = newDataDir();
    const first = historyOn(dataDir, clock);
    const byMinute = await recordMany(first.history);
    clock.now = T0 + 3 * HOUR;
    for (let i = 0; i < 3; i++) expect(await first.history.rollUpStep()).toBe(true);
    open.splice(open.findIndex((o) => o.db === first.db), 1);
    await closeBoth(first.db, first.batch);

    const again = historyOn(dataDir, clock);
    await again.history.rollUp();
    const minutes = await again.history.read('c', 'power', T0, clock.now, 'minute');
    expect(minutes).toHaveLength(70);
    for (const [bucket, ...rest] of minutes) expect(rest).toStrictEqual(summary(byMinute.get(`c:${bucket}`)!));
    const counts = again.db.prepare('SELECT sum(count) AS n FROM history_hour').get() as { n: number };
    expect(counts.n).toBe(70 * 120 * 3);
  });

  it('read what is not summarised yet from the raw rows', async () => {
    const clock = { now: T0 };
    const { history } = historyOn(newDataDir(), clock);
    const byMinute = await recordMany(history);
    clock.now = T0 + 3 * HOUR;
    // Nothing summarised: the minutes still read the same.
    const minutes = await history.read('a', 'power', T0, clock.now, 'minute');
    expect(minutes).toHaveLength(70);
    for (const [bucket, ...rest] of minutes) expect(rest).toStrictEqual(summary(byMinute.get(`a:${bucket}`)!));
  });
});
