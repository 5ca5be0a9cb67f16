import { Type } from 'typebox';
import type { SwitchCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

export const switchCapability: CapabilityModule<SwitchCapability> = {
  state: () => Type.Boolean(),
  command: () => Type.Boolean({ description: 'true turns the device on, false turns it off' }),
};
