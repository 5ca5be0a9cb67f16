import { Type } from 'typebox';
import type { SwitchCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const switchCapability: CapabilityModule<SwitchCapability> = {
  // null: the device said it does not know (Home Assistant's `None`).
  state: () => Type.Union([Type.Boolean(), Type.Null()]),
  command: () => Type.Boolean({ description: 'true turns the device on, false turns it off' }),
};
