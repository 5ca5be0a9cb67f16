import { Type } from 'typebox';
import type { BinarySensorCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const binarySensorCapability: CapabilityModule<BinarySensorCapability> = {
  state: () => Type.Boolean(),
};
