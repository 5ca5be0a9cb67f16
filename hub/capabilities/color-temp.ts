import { Type } from 'typebox';
import type { ColorTempCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const colorTempCapability: CapabilityModule<ColorTempCapability> = {
  // Firmware may report slightly outside its advertised range after rounding kelvin to mireds.
  state: () => Type.Number({ minimum: 0, maximum: 1000 }),
  // Any mireds Home Assistant's light service takes (a positive whole number); the bridge
  // brings it into the light's own range, as Home Assistant clamps it.
  command: () => Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  fit: (c, value) => Math.min(Math.max(value as number, c.min), c.max),
};
