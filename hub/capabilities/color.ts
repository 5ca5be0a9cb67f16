import { Type } from 'typebox';
import type { ColorCapability } from '../protocol/device.js';
import type { CapabilityModule } from './capability.js';

const channel = Type.Integer({ minimum: 0, maximum: 255 });
const rgb = Type.Object({ r: channel, g: channel, b: channel }, { additionalProperties: false });

export const colorCapability: CapabilityModule<ColorCapability> = {
  state: () => rgb,
  command: () => rgb,
};
