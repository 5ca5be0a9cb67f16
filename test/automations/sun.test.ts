/**
 * Sunrise and sunset at the home's place. Expected times: the published sunrise/sunset table
 * for London (timeanddate.com, "London, England, United Kingdom — Sunrise, Sunset", 2026;
 * HM Nautical Almanac Office figures agree to the minute). Tables round to the minute, so a
 * time within a minute of the table's counts. The trigger follows Home Assistant's sun
 * trigger: `event: sunset` with `offset: -00:30:00` runs half an hour before sunset.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nextSunEvent } from '../../hub/automations/sun.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { call, createAutomation, nextRun } from './helpers.js';

afterEach(stopAllHubs);

const LONDON = { latitude: 51.5074, longitude: -0.1278, timeZone: 'Europe/London' };
const MINUTE = 60_000;

describe('sunrise and sunset in London', () => {
  it.each([
    ['sunrise', '2026-06-21T00:00:00Z', '2026-06-21T03:43:00Z'], // 04:43 BST
    ['sunset', '2026-06-21T00:00:00Z', '2026-06-21T20:21:00Z'], // 21:21 BST
    ['sunrise', '2026-12-21T00:00:00Z', '2026-12-21T08:04:00Z'], // 08:04 GMT
    ['sunset', '2026-12-21T00:00:00Z', '2026-12-21T15:53:00Z'], // 15:53 GMT
  ] as const)('%s after %s is at %s (the table, to the minute)', (event, after, published) => {
    const at = nextSunEvent(Date.parse(after), event, 0, LONDON)!;
    expect(Math.abs(at - Date.parse(published))).toBeLessThanOrEqual(MINUTE);
  });

  it('takes the next day once today’s has passed', () => {
    const at = nextSunEvent(Date.parse('2026-06-21T12:00:00Z'), 'sunrise', 0, LONDON)!;
    expect(Math.abs(at - Date.parse('2026-06-22T03:43:00Z'))).toBeLessThanOrEqual(MINUTE);
  });
});

describe('a sun trigger', () => {
  it('runs half an hour before sunset at the place set for the home', async () => {
    const clock = new FakeClock('2026-06-21T10:00:00Z');
    const hub = await startHub({ automationClock: clock });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const automation = await createAutomation(hub, {
      name: 'Evening',
      triggers: [{ kind: 'sun', event: 'sunset', offsetMinutes: -30 }],
      actions: [{ kind: 'notify', message: 'sunset soon' }],
    });
    // No place yet: nothing can be scheduled. Setting it schedules the trigger.
    expect((await call(hub, 'PATCH', '/api/settings/home', LONDON)).status).toBe(200);
    await clock.advanceTo('2026-06-21T21:00:00Z');
    const run = await nextRun(live, automation.id);
    expect(run.trigger.description).toBe('sunset -30 min');
    expect(Math.abs(run.startedAt - Date.parse('2026-06-21T19:51:00Z'))).toBeLessThanOrEqual(MINUTE);
  });

  it('refuses a place off the globe and an unknown time zone', async () => {
    const hub = await startHub();
    expect((await call(hub, 'PATCH', '/api/settings/home', { latitude: 91 })).status).toBe(400);
    const zone = await call<{ message: string }>(hub, 'PATCH', '/api/settings/home', { timeZone: 'Mars/Olympus' });
    expect(zone).toStrictEqual({ status: 400, body: expect.objectContaining({ code: 'HEARTH_INVALID_SETTINGS', message: expect.stringContaining('Mars/Olympus') }) });
  });
});
