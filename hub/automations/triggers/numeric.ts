import type { Trigger } from '../../protocol/automations.js';
import type { StateValue } from '../../protocol/device.js';
import type { TriggerKind } from './index.js';
import { armDeviceWatch } from './device-watch.js';

type NumericTrigger = Extract<Trigger, { kind: 'numeric' }>;

/** Inside the bounds (both exclusive, as Home Assistant's numeric_state). Not a number: outside. */
export function inRange(value: StateValue | undefined, bounds: { above?: number; below?: number }): boolean {
  if (typeof value !== 'number') return false;
  return (bounds.above === undefined || value > bounds.above) && (bounds.below === undefined || value < bounds.below);
}

/**
 * Fires when the value crosses into the range, not on every reading inside it: Home
 * Assistant's numeric_state trigger. With `forMs` it must stay inside that long.
 */
export const numericTrigger: TriggerKind<NumericTrigger> = {
  arm: (t, ctx) =>
    armDeviceWatch(
      {
        device: t.device,
        describe: (d) => `${t.device} ${t.property} ${JSON.stringify(d.state[t.property] ?? null)}${t.above === undefined ? '' : `, above ${t.above}`}${t.below === undefined ? '' : `, below ${t.below}`}`,
        fires: (c) => c.type === 'state' && t.property in c.changed && inRange(c.changed[t.property], t) && !inRange(c.from.state[t.property], t),
        breaks: (c) => c.type === 'state' && t.property in c.changed && !inRange(c.changed[t.property], t),
        holdsNow: (d) => inRange(d.state[t.property], t),
      },
      t.forMs,
      ctx,
    ),
};
