/**
 * A set of simulated devices: a believable home for the demo, or any number of numbered
 * devices of every kind for load tests.
 */
import type { IClientOptions } from 'mqtt';
import { deviceIdFor } from '../hub/protocol/topics.js';
import { kindNames, kinds, type KindName } from './models/index.js';
import { DEFAULT_TICK_MS, SimulatedDevice } from './simulated-device.js';

export interface DeviceSpec {
  id: string;
  name: string;
  kind: KindName;
  /** The room a fresh hub puts the device in (the demo home's; numbered devices have none). */
  room?: string;
}

export interface DemoHomeOptions {
  url: string;
  /** This many numbered devices, cycling through every kind; without it, the demo home. */
  count?: number;
  /** Id prefix of numbered devices: `sim-12-dimmable-light`. */
  prefix?: string;
  tickMs?: number;
  /** Connections opened at once; thousands at a time would flood the broker's accept queue. */
  concurrency?: number;
  log?: (message: string) => void;
  mqttOptions?: IClientOptions;
  /** Each device's own user name and password, when the broker gives every device its own. */
  credentialsFor?: (spec: DeviceSpec) => { username: string; password: string };
  /** Aborting while starting stops the devices started so far and rejects with the reason. */
  signal?: AbortSignal;
}

export interface DemoHome {
  devices: SimulatedDevice[];
  /** Every device leaves cleanly (retained `offline`, DISCONNECT). */
  stop(): Promise<void>;
}

export const DEFAULT_PREFIX = 'sim';
const DEFAULT_CONCURRENCY = 100;

/** The demo home, room by room. */
export const DEMO_HOME: readonly Omit<DeviceSpec, 'id'>[] = [
  { name: 'Living room lamp', kind: 'dimmable-light', room: 'Living room' },
  { name: 'Living room ceiling', kind: 'color-light', room: 'Living room' },
  { name: 'Kitchen ceiling', kind: 'onoff-light', room: 'Kitchen' },
  { name: 'Bedroom light', kind: 'color-light', room: 'Bedroom' },
  { name: 'Hallway light', kind: 'onoff-light', room: 'Hallway' },
  { name: 'Coffee machine', kind: 'plug', room: 'Kitchen' },
  { name: 'TV', kind: 'plug', room: 'Living room' },
  { name: 'Living room climate', kind: 'climate-sensor', room: 'Living room' },
  { name: 'Bedroom climate', kind: 'climate-sensor', room: 'Bedroom' },
  { name: 'Hallway motion', kind: 'motion-sensor', room: 'Hallway' },
  { name: 'Front door', kind: 'door-sensor', room: 'Hallway' },
];

/** `Living room lamp` becomes `living-room-lamp`: the id, and the MQTT user name, of a device. */
export const slug = deviceIdFor;

export const demoHomeSpecs = (): DeviceSpec[] => DEMO_HOME.map((device) => ({ ...device, id: slug(device.name) }));

/** `count` devices, kinds in turn: `sim-1-onoff-light` "Sim on/off light 1", ... */
export function numberedSpecs(count: number, prefix = DEFAULT_PREFIX): DeviceSpec[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number >= 0, got ${count}`);
  const label = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    const kind = kindNames[index % kindNames.length]!;
    return { id: `${prefix}-${n}-${kind}`, name: `${label} ${kinds[kind].words} ${n}`, kind };
  });
}

export async function startDemoHome(options: DemoHomeOptions): Promise<DemoHome> {
  const { url, tickMs = DEFAULT_TICK_MS, concurrency = DEFAULT_CONCURRENCY, log, signal, credentialsFor } = options;
  const specs = options.count === undefined ? demoHomeSpecs() : numberedSpecs(options.count, options.prefix);
  const devices = specs.map((spec) => {
    const mqttOptions = { ...options.mqttOptions, ...credentialsFor?.(spec) };
    return new SimulatedDevice({ ...spec, url, tickMs, mqttOptions });
  });
  const stop = () => forEachLimited(devices, concurrency, (device) => device.stop());
  const every = Math.max(100, Math.ceil(devices.length / 10));
  let started = 0;
  try {
    await forEachLimited(devices, concurrency, async (device) => {
      signal?.throwIfAborted();
      await device.start();
      started++;
      if (started % every === 0 || started === devices.length) log?.(`started ${started}/${devices.length} simulated devices`);
    });
  } catch (error) {
    // Leave no half-started home behind: the caller gets an error, not orphan connections.
    await stop();
    throw error;
  }
  return { devices, stop };
}

/**
 * Runs `task` on every item, at most `limit` at a time. After a failure no new task
 * starts; the running ones finish, then the first error is thrown.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}
