import { Type } from 'typebox';
import type { ColorTempCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const colorTempCapability: CapabilityModule<ColorTempCapability> = {
  // Firmware may report slightly outside its advertised range after rounding kelvin to mireds.
  state: () => Type.Number({ minimum: 0, maximum: 1000 }),
  // Any mireds Home Assistant's light service passes on (a positive whole number), also outside
  // the announced range: its template-light tests send 70 to a 153-500 light and expect 70.
  command: () => Type.Integer({ minimum: 1, maximum: 1_000_000 }),
};
