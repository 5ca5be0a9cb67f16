/**
 * Time-of-day triggers on the home's clock, through a real hub moved by a fake clock.
 * Reference: Home Assistant's find_next_time_expression_time (homeassistant/util/dt.py) and
 * its tests (tests/util/test_dt.py, test_find_next_time_expression_time_dst): a time the
 * clocks skip does not happen that day; the repeated hour is taken once, at its first pass.
 * Europe/London 2026: BST begins 29 March 01:00 UTC, ends 25 October 01:00 UTC.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nextTimeOfDay } from '../../hub/automations/zoned-time.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { call, createAutomation, iso, nextRun, runs } from './helpers.js';

afterEach(stopAllHubs);

const LONDON = 'Europe/London';

describe('the next time of day in Europe/London', () => {
  it.each([
    ['an ordinary morning in winter', '2026-01-10T12:00:00Z', '08:00', '2026-01-11T08:00:00.000Z'],
    ['08:00 on the morning clocks go forward is 07:00 UTC', '2026-03-28T12:00:00Z', '08:00', '2026-03-29T07:00:00.000Z'],
    ['01:30 does not exist when clocks go forward: the next day', '2026-03-29T00:00:00Z', '01:30', '2026-03-30T00:30:00.000Z'],
    ['01:30 happens twice when clocks go back: the first, in BST', '2026-10-25T00:00:00Z', '01:30', '2026-10-25T00:30:00.000Z'],
    ['and not again at the repeat, in GMT', '2026-10-25T00:30:00Z', '01:30', '2026-10-26T01:30:00.000Z'],
    ['08:00 on the morning clocks go back is 08:00 UTC', '2026-10-24T12:00:00Z', '08:00', '2026-10-25T08:00:00.000Z'],
  ])('%s', (_what, after, at, expected) => {
    expect(new Date(nextTimeOfDay(Date.parse(after), at, LONDON)).toISOString()).toBe(expected);
  });
});

async function hubInLondon(start: string) {
  const clock = new FakeClock(start);
  const hub = await startHub({ automationClock: clock });
  expect((await call(hub, 'PATCH', '/api/settings/home', { timeZone: LONDON })).status).toBe(200);
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  const automation = await createAutomation(hub, {
    name: 'Night and morning',
    triggers: [{ kind: 'time', at: '01:30' }, { kind: 'time', at: '08:00' }],
    actions: [{ kind: 'notify', message: 'time' }],
  });
  return { clock, hub, live, automation };
}

async function runsUntil(setup: Awaited<ReturnType<typeof hubInLondon>>, end: string, count: number) {
  await setup.clock.advanceTo(end);
  const ended = await runs(setup.live, setup.automation.id, count);
  // Nothing else ran: every run notified, and the list holds exactly these.
  expect((await call<unknown[]>(setup.hub, 'GET', '/api/notifications')).body).toHaveLength(count);
  return ended.map((r) => [iso(r.startedAt), r.trigger.description]);
}

describe('time triggers across daylight saving changes', () => {
  it('springs forward: skips the 01:30 that does not exist, keeps 08:00 on the wall clock', async () => {
    const setup = await hubInLondon('2026-03-28T12:00:00Z');
    expect(await runsUntil(setup, '2026-03-31T00:00:00Z', 3)).toStrictEqual([
      ['2026-03-29T07:00:00.000Z', 'time 08:00'],
      ['2026-03-30T00:30:00.000Z', 'time 01:30'],
      ['2026-03-30T07:00:00.000Z', 'time 08:00'],
    ]);
  });

  it('falls back: runs 01:30 once though the clock shows it twice, and 08:00 at 08:00 GMT', async () => {
    const setup = await hubInLondon('2026-10-24T12:00:00Z');
    expect(await runsUntil(setup, '2026-10-26T12:00:00Z', 4)).toStrictEqual([
      ['2026-10-25T00:30:00.000Z', 'time 01:30'],
      ['2026-10-25T08:00:00.000Z', 'time 08:00'],
      ['2026-10-26T01:30:00.000Z', 'time 01:30'],
      ['2026-10-26T08:00:00.000Z', 'time 08:00'],
    ]);
  });

  it('does not run a time missed while the hub was down', async () => {
    const setup = await hubInLondon('2026-01-10T07:00:00Z');
    await setup.hub.close();
    const clock = new FakeClock('2026-01-10T09:00:00Z');
    const again = await startHub({ dataDir: setup.hub.dataDir, automationClock: clock });
    const live = await LiveClient.connect(again.wsUrl, again.headers);
    await live.next('snapshot');
    // 08:00 passed while it was down; the first run is 01:30 the next night, not one at start.
    await clock.advanceTo('2026-01-11T02:00:00Z');
    const run = await nextRun(live, setup.automation.id);
    expect([iso(run.startedAt), run.trigger.description]).toStrictEqual(['2026-01-11T01:30:00.000Z', 'time 01:30']);
    expect((await call<unknown[]>(again, 'GET', '/api/notifications')).body).toHaveLength(1);
  });
});

describe('a wall clock stepped back', () => {
  it('does not make a time trigger run early', async () => {
    const setup = await hubInLondon('2026-01-10T07:00:00Z');
    // An hour before 08:00 the clock is corrected an hour back: 08:00 is now two hours away.
    setup.clock.stepWallClock(-60 * 60_000);
    await setup.clock.advanceTo('2026-01-10T07:30:00Z');
    expect((await call<unknown[]>(setup.hub, 'GET', '/api/notifications')).body).toStrictEqual([]);
    await setup.clock.advanceTo('2026-01-10T08:00:00Z');
    const [run] = await runs(setup.live, setup.automation.id, 1);
    expect([iso(run!.startedAt), run!.trigger.description]).toStrictEqual(['2026-01-10T08:00:00.000Z', 'time 08:00']);
  });
});
