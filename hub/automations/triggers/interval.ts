import type { Trigger } from '../../protocol/automations.js';
import type { TriggerKind } from './index.js';
import { armSchedule } from './scheduled.js';

type IntervalTrigger = Extract<Trigger, { kind: 'interval' }>;

/** Every so many seconds from when the automation was armed (Home Assistant's time_pattern, as a period). */
export const intervalTrigger: TriggerKind<IntervalTrigger> = {
  arm: (t, ctx) => armSchedule(ctx, (after) => after + t.everySeconds * 1000, () => `every ${t.everySeconds} s`),
};
