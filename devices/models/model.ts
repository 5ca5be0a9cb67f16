/**
 * What every simulated device kind is: data plus pure functions. The MQTT shell
 * (`../simulated-device.ts`) owns time, randomness and the network and passes them in.
 */
import type { Random } from '../random.js';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export interface TickContext {
  /** Epoch milliseconds, from the injected clock. */
  now: number;
  random: Random;
}

/** A retained Home Assistant discovery message: topic and JSON config. */
export interface DiscoveryMessage {
  topic: string;
  config: JsonObject;
}

// Methods (not function properties) on purpose: their parameters are bivariant, so a
// `DeviceModel<LightState>` fits the `kinds` table typed `DeviceModel<unknown>`.
export interface DeviceModel<S> {
  /** The words after "Simulated" in the announced model, e.g. `dimmable light`. */
  readonly words: string;
  /** Reports on every tick, as sensors and metering plugs do; lights report only changes. */
  readonly periodic: boolean;
  initialState(random: Random, now: number): S;
  /** The next state, or an Error saying why the command was refused. */
  applyCommand(state: S, payload: unknown): S | Error;
  /** One step of the world; returns the same object when nothing changed. */
  tick(state: S, context: TickContext): S;
  /** The JSON the device publishes on its state topic. */
  toStatePayload(state: S): JsonObject;
  discoveryConfigs(id: string, name: string): DiscoveryMessage[];
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sensors have no writable properties; firmware ignores whatever arrives on `set`. */
export const refuseCommands = (): Error => new Error('this device accepts no commands');
