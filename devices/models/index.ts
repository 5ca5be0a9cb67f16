/** Every simulated kind by name; adding a kind is one model file plus one entry here. */
import { climateSensor } from './climate-sensor.js';
import { colorLight } from './color-light.js';
import { dimmableLight } from './dimmable-light.js';
import { doorSensor } from './door-sensor.js';
import type { DeviceModel } from './model.js';
import { motionSensor } from './motion-sensor.js';
import { onoffLight } from './onoff-light.js';
import { plug } from './plug.js';

export const kinds = {
  'onoff-light': onoffLight,
  'dimmable-light': dimmableLight,
  'color-light': colorLight,
  plug,
  'climate-sensor': climateSensor,
  'motion-sensor': motionSensor,
  'door-sensor': doorSensor,
} satisfies Record<string, DeviceModel<unknown>>;

export type KindName = keyof typeof kinds;

export const kindNames = Object.keys(kinds) as KindName[];

export const isKindName = (name: string): name is KindName => Object.hasOwn(kinds, name);

/** The model of a kind, typed for code that only passes its state around. */
export const modelOf = (kind: KindName): DeviceModel<unknown> => kinds[kind];

export type { DeviceModel, DiscoveryMessage, JsonObject, TickContext } from './model.js';
