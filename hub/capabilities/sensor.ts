import { Type } from 'typebox';
import type { SensorCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const sensorCapability: CapabilityModule<SensorCapability> = {
  // A reading with a unit is a measurement; without one it may be text (e.g. a mode).
  state: (c) => (c.unit ? Type.Union([Type.Number(), Type.Null()]) : Type.Union([Type.Number(), Type.String(), Type.Null()])),
};
