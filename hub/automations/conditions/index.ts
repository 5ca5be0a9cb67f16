import type { Condition } from '../../protocol/automations.js';
import { sameValue } from '../../registry/same-value.js';
import type { ConditionContext } from '../context.js';
import { inRange } from '../triggers/numeric.js';
import { localTime, minutesOfDay, parseTimeOfDay } from '../zoned-time.js';

export interface Verdict {
  passed: boolean;
  detail: string;
}

type Check<C extends Condition> = (condition: C, ctx: ConditionContext) => Verdict;
type Kinds = { [K in Condition['kind']]: Check<Extract<Condition, { kind: K }>> };

/** Each condition kind: a pure check of the hub as it is now. A device the hub does not know fails it. */
export const CONDITIONS: Kinds = {
  state: (c, ctx) => {
    const value = ctx.devices.get(c.device)?.state[c.property];
    return { passed: sameValue(value, c.equals), detail: `${c.device} ${c.property} is ${JSON.stringify(value ?? null)}, wanted ${JSON.stringify(c.equals)}` };
  },
  numeric: (c, ctx) => {
    const value = ctx.devices.get(c.device)?.state[c.property];
    const bounds = `${c.above === undefined ? '' : ` above ${c.above}`}${c.below === undefined ? '' : ` below ${c.below}`}`;
    return { passed: inRange(value, c), detail: `${c.device} ${c.property} is ${JSON.stringify(value ?? null)}, wanted${bounds}` };
  },
  // A window whose end is before its start spans midnight (22:00 to 06:00), as Home Assistant's time condition.
  time: (c, ctx) => {
    const now = localTime(ctx.clock.now(), ctx.home().timeZone);
    const [m, after, before] = [minutesOfDay(now), minutesOfDay(parseTimeOfDay(c.after)), minutesOfDay(parseTimeOfDay(c.before))];
    const passed = after <= before ? m >= after && m < before : m >= after || m < before;
    return { passed, detail: `home time ${pad(now.hour)}:${pad(now.minute)}, window ${c.after}-${c.before}` };
  },
  weekday: (c, ctx) => {
    const { weekday } = localTime(ctx.clock.now(), ctx.home().timeZone);
    return { passed: c.days.includes(weekday), detail: `today is ${weekday}, wanted ${c.days.join(', ')}` };
  },
};

const pad = (n: number) => String(n).padStart(2, '0');

export function checkCondition(condition: Condition, ctx: ConditionContext): Verdict {
  return (CONDITIONS[condition.kind] as Check<Condition>)(condition, ctx);
}
