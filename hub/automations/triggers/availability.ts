import type { Trigger } from '../../protocol/automations.js';
import type { TriggerKind } from './index.js';
import { armDeviceWatch } from './device-watch.js';

type AvailabilityTrigger = Extract<Trigger, { kind: 'availability' }>;

/** The device goes offline or online (its availability topic or last will). */
export const availabilityTrigger: TriggerKind<AvailabilityTrigger> = {
  arm: (t, ctx) =>
    armDeviceWatch(
      {
        device: t.device,
        describe: () => `${t.device} went ${t.online ? 'online' : 'offline'}`,
        fires: (c) => c.type === 'availability' && c.to.online === t.online,
        breaks: (c) => c.type === 'availability' && c.to.online !== t.online,
        holdsNow: (d) => d.online === t.online,
      },
      t.forMs,
      ctx,
    ),
};
