import type { Trigger } from '../../protocol/automations.js';
import { nextSunEvent } from '../sun.js';
import type { TriggerKind } from './index.js';
import { armSchedule } from './scheduled.js';

type SunTrigger = Extract<Trigger, { kind: 'sun' }>;

/** Sunrise or sunset at the home's latitude and longitude, moved by an offset (Home Assistant's sun trigger). */
export const sunTrigger: TriggerKind<SunTrigger> = {
  arm: (t, ctx) => {
    const home = ctx.home();
    if (home.latitude === null || home.longitude === null) {
      ctx.log.warn({ trigger: t }, 'a sun trigger waits for the home latitude and longitude (settings)');
    }
    const offset = t.offsetMinutes === 0 ? '' : ` ${t.offsetMinutes > 0 ? '+' : ''}${t.offsetMinutes} min`;
    return armSchedule(
      ctx,
      (after) => {
        const { latitude, longitude, timeZone } = ctx.home();
        return latitude === null || longitude === null ? null : nextSunEvent(after, t.event, t.offsetMinutes, { latitude, longitude, timeZone });
      },
      () => `${t.event}${offset}`,
    );
  },
};
