import { Type } from 'typebox';
import type { ColorTempCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const colorTempCapability: CapabilityModule<ColorTempCapability> = {
  // Firmware may report slightly outside its advertised range after rounding kelvin to mireds.
  state: () => Type.Number({ minimum: 0, maximum: 1000 }),
  command: (c) => Type.Integer({ minimum: c.min, maximum: c.max }),
};
