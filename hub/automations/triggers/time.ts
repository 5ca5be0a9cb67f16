import type { Trigger } from '../../protocol/automations.js';
import { nextTimeOfDay } from '../zoned-time.js';
import type { TriggerKind } from './index.js';
import { armSchedule } from './scheduled.js';

type TimeTrigger = Extract<Trigger, { kind: 'time' }>;

/** A time of day on the home's clock (see nextTimeOfDay for the days clocks change). */
export const timeTrigger: TriggerKind<TimeTrigger> = {
  arm: (t, ctx) => armSchedule(ctx, (after) => nextTimeOfDay(after, t.at, ctx.home().timeZone), () => `time ${t.at}`),
};
