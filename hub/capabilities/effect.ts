import { Type } from 'typebox';
import type { EffectCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const effectCapability: CapabilityModule<EffectCapability> = {
  // A light may report an effect it was started with elsewhere, or none.
  state: () => Type.Union([Type.String(), Type.Null()]),
  // No list (Home Assistant's `effect: true` without `effect_list`): any name the light may know.
  command: (c) =>
    c.options.length === 0
      ? Type.String({ minLength: 1, maxLength: 100, description: 'an effect name' })
      : Type.Union(c.options.map((o) => Type.Literal(o)), { description: `one of: ${c.options.join(', ')}` }),
};
