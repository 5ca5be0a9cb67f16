import { Type } from 'typebox';
import type { BrightnessCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

const level = (c: BrightnessCapability) => Type.Integer({ minimum: c.min, maximum: c.max });

export const brightnessCapability: CapabilityModule<BrightnessCapability> = {
  state: level,
  command: level,
};
