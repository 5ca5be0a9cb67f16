/**
 * Conditions on the home's clock: a time window (one that ends before it starts spans
 * midnight, as Home Assistant's time condition with after: 22:00, before: 06:00) and days of
 * the week, both in the home's time zone, not the host's.
 */
import { describe, expect, it } from 'vitest';
import { checkCondition } from '../../hub/automations/conditions/index.js';
import type { Condition } from '../../hub/protocol/automations.js';
import { FakeClock } from '../helpers/fake-clock.js';

const at = (iso: string, timeZone = 'Europe/London') => ({
  clock: new FakeClock(iso),
  home: () => ({ timeZone, latitude: null, longitude: null }),
  devices: { get: () => undefined, subscribe: () => () => {} },
});

describe('time and weekday conditions', () => {
  it.each<[string, Condition, string, boolean]>([
    ['inside a day window', { kind: 'time', after: '08:00', before: '18:00' }, '2026-07-01T10:00:00Z', true],
    ['at its end (the end is not in it)', { kind: 'time', after: '08:00', before: '18:00' }, '2026-07-01T17:00:00Z', false], // 18:00 BST
    ['inside a window across midnight, late', { kind: 'time', after: '22:00', before: '06:00' }, '2026-01-01T23:30:00Z', true],
    ['inside a window across midnight, early', { kind: 'time', after: '22:00', before: '06:00' }, '2026-01-02T05:59:00Z', true],
    ['outside a window across midnight', { kind: 'time', after: '22:00', before: '06:00' }, '2026-01-02T12:00:00Z', false],
    ['on a listed day, by the home clock', { kind: 'weekday', days: ['sat'] }, '2026-08-01T23:30:00Z', false], // Sunday 00:30 BST
    ['on a listed day', { kind: 'weekday', days: ['sun'] }, '2026-08-01T23:30:00Z', true],
  ])('%s', (_what, condition, now, passed) => {
    expect(checkCondition(condition, at(now)).passed).toBe(passed);
  });

  it('says why in the trace', () => {
    expect(checkCondition({ kind: 'time', after: '22:00', before: '06:00' }, at('2026-01-02T12:00:00Z'))).toStrictEqual({ passed: false, detail: 'home time 12:00, window 22:00-06:00' });
  });
});
