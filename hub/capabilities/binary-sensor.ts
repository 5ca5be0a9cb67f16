import { Type } from 'typebox';
import type { BinarySensorCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const binarySensorCapability: CapabilityModule<BinarySensorCapability> = {
  // null: no current reading (it expired, or the device said it does not know).
  state: () => Type.Union([Type.Boolean(), Type.Null()]),
};
