import type { Trigger } from '../../protocol/automations.js';
import type { StateValue } from '../../protocol/device.js';
import { sameValue } from '../../registry/same-value.js';
import type { TriggerKind } from './index.js';
import { armDeviceWatch } from './device-watch.js';

type StateTrigger = Extract<Trigger, { kind: 'state' }>;

const matches = (wanted: StateValue | undefined, value: StateValue | undefined) => wanted === undefined || sameValue(value, wanted);

/**
 * A property changes (optionally from one value, to another), as Home Assistant's state
 * trigger. With `forMs` it must then stay at that value; any further change breaks the hold.
 */
export const stateTrigger: TriggerKind<StateTrigger> = {
  arm: (t, ctx) =>
    armDeviceWatch(
      {
        device: t.device,
        describe: (d) => `${t.device} ${t.property} became ${JSON.stringify(d.state[t.property] ?? null)}`,
        fires: (c) => c.type === 'state' && t.property in c.changed && matches(t.to, c.changed[t.property]) && matches(t.from, c.from.state[t.property]),
        breaks: (c) => c.type === 'state' && t.property in c.changed,
        holdsNow: (d) => t.property in d.state && matches(t.to, d.state[t.property]),
      },
      t.forMs,
      ctx,
    ),
};
