import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../../hub/history/history.js';
import { NEWEST_AT_SQL } from '../../hub/history/roll-up.js';
import { openDatabase, type Db } from '../../hub/store/database.js';
import { WriteBatch } from '../../hub/store/write-batch.js';
import { newDataDir, startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

let db: Db | undefined;
let batch: WriteBatch | undefined;
afterEach(async () => {
  await batch?.close();
  db?.close();
  db = batch = undefined;
  await stopAllHubs();
});

/** A history on a real SQLite file, with a clock the test moves. */
function historyAt(clock: { now: number }) {
  db = openDatabase(newDataDir()).db;
  batch = new WriteBatch(db);
  const history = new History(db, batch, { rawDays: 1, minuteDays: 3, hourDays: 10 }, () => clock.now);
  return { history, batch };
}

describe('history', () => {
  it('keeps raw changes, summarises them per minute and hour, and reads each resolution', async () => {
    const clock = { now: T0 };
    const { history } = historyAt(clock);
    // Two readings a minute for three hours: 10, 20, 10, 20...
    for (let i = 0; i < 360; i++) history.record('t1', { temperature: i % 2 === 0 ? 10 : 20, on: i % 2 === 0 }, T0 + i * 30_000);
    await history.flush();
    clock.now = T0 + 3 * HOUR;

    expect(await history.read('t1', 'temperature', T0, T0 + MINUTE - 1, 'raw')).toStrictEqual([[T0, 10], [T0 + 30_000, 20]]);
    expect(await history.read('t1', 'on', T0, T0 + 30_000, 'raw')).toStrictEqual([[T0, 1], [T0 + 30_000, 0]]);
    const minutes = await history.read('t1', 'temperature', T0, T0 + 3 * HOUR, 'minute');
    expect(minutes).toHaveLength(180);
    expect(minutes[0]).toStrictEqual([T0, 15, 10, 20]);
    const hours = await history.read('t1', 'temperature', T0, T0 + 3 * HOUR, 'hour');
    expect(hours).toStrictEqual([[T0, 15, 10, 20], [T0 + HOUR, 15, 10, 20], [T0 + 2 * HOUR, 15, 10, 20]]);
  });

  it('drops each resolution after its retention', async () => {
    const clock = { now: T0 };
    const { history } = historyAt(clock);
    history.record('t1', { temperature: 5 }, T0);
    await history.flush();
    clock.now = T0 + 2 * DAY;
    await history.rollUp();
    expect(await history.read('t1', 'temperature', T0, clock.now, 'raw')).toStrictEqual([]);
    expect(await history.read('t1', 'temperature', T0, clock.now, 'minute')).toStrictEqual([[T0, 5, 5, 5]]);
    clock.now = T0 + 5 * DAY;
    expect(await history.read('t1', 'temperature', T0, clock.now, 'minute')).toStrictEqual([]);
    expect(await history.read('t1', 'temperature', T0, clock.now, 'hour')).toStrictEqual([[T0, 5, 5, 5]]);
  });

  it('drops raw rows by the millisecond they carry, not by the order they were written', async () => {
    const clock = { now: T0 };
    const { history } = historyAt(clock);
    // The index finds rows by their ten seconds; the cut falls inside one of them.
    for (const at of [T0 - 3, T0 + 5004, T0 + 5005, T0 + 5006]) history.record('t1', { temperature: at - T0 }, at);
    await history.flush();
    // Written last, stamped early: a clock that stepped back.
    history.record('t1', { temperature: 1 }, T0 + 1);
    await history.flush();
    clock.now = T0 + DAY + 5005;
    await history.rollUp();
    expect(await history.read('t1', 'temperature', T0 - MINUTE, clock.now, 'raw')).toStrictEqual([[T0 + 5005, 5005], [T0 + 5006, 5006]]);
  });

  it('finds the newest reading through the index by time, not by reading every row (a start-up query)', () => {
    db = openDatabase(newDataDir()).db;
    const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${NEWEST_AT_SQL}`).all().map((step) => step.detail);
    expect(plan.filter((step) => !step.startsWith('SCALAR SUBQUERY'))).toStrictEqual([expect.stringMatching(/USING INDEX history_10s/), expect.stringMatching(/USING COVERING INDEX history_10s/)]);
  });

  it('picks the finest resolution that holds the range', () => {
    const clock = { now: T0 + 20 * DAY };
    const { history } = historyAt(clock);
    expect(history.resolutionFor(clock.now - HOUR, clock.now)).toBe('raw');
    expect(history.resolutionFor(clock.now - 2 * DAY, clock.now)).toBe('minute');
    expect(history.resolutionFor(clock.now - 9 * DAY, clock.now)).toBe('hour');
  });
});

describe('GET /api/devices/:id/history', () => {
  it('serves the readings a device reported', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    const publish = await announceMeter(device, 'h1');
    for (const watts of [100, 120, 90]) await publish(watts);
    await live.next('state', (m) => m.id === 'h1' && m.state.power === 90);
    const response = await hub.fetch(`${hub.httpUrl}/api/devices/h1/history?resolution=raw`);
    const body = (await response.json()) as { resolution: string; series: Record<string, [number, number][]> };
    expect(body.resolution).toBe('raw');
    expect(body.series.power!.map(([, v]) => v)).toStrictEqual([100, 120, 90]);
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/h1/history?resolution=weekly`)).status).toBe(400);
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/h1/history?from=10&to=5`)).status).toBe(400);
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/nope/history`)).status).toBe(404);
    device.end(true);
    live.close();
  });
});
