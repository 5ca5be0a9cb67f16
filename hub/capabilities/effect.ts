import { Type } from 'typebox';
import type { EffectCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const effectCapability: CapabilityModule<EffectCapability> = {
  // A light may report an effect it was started with elsewhere, or none.
  state: () => Type.Union([Type.String(), Type.Null()]),
  command: (c) => Type.Union(c.options.map((o) => Type.Literal(o)), { description: `one of: ${c.options.join(', ')}` }),
};
