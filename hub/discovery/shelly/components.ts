import type { Capability, DeviceCommand, DeviceKind, StateValue } from '../../protocol/device.js';
import { isObject } from '../entity.js';

/**
 * Shelly Gen2+ components the hub reads, by type, with the status fields it shows
 * (shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/<Type>#status). Components are
 * keyed `<type>:<id>` in a full status, e.g. `switch:0`.
 */
export interface Field {
  /** Hub property for component id 0; id n adds `_n` (the hub's properties are unique per device). */
  property: string;
  /** The field's value in a (possibly partial) component status; undefined when absent. */
  read(status: Record<string, unknown>): unknown;
  type: 'boolean' | 'number';
  capability(property: string): Capability;
  /** Hub value from the device's (the hub scales some, e.g. brightness 0-100 to 0-255). */
  toHub?(value: number): number;
}

export interface ComponentSpec {
  /** What a device with this component is. */
  kind: DeviceKind;
  /** Outputs (each switch, each light) are a device of their own, like a board's relays. */
  ownDevice: boolean;
  fields: Field[];
  /** The RPC call for a command, or null when the component takes none. */
  command?: (id: number, c: DeviceCommand) => { method: string; params: Record<string, unknown> } | null;
}

const at = (...path: string[]) => (status: Record<string, unknown>) => {
  let value: unknown = status;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  return value;
};

const sensor = (property: string, path: string[], label: string, unit?: string, deviceClass?: string, category?: 'diagnostic'): Field => ({
  property,
  read: at(...path),
  type: 'number',
  capability: (p) => ({ type: 'sensor', property: p, writable: false, label, ...(unit ? { unit } : {}), ...(deviceClass ? { deviceClass } : {}), ...(category ? { category } : {}) }),
});

const output: Field = { property: 'on', read: at('output'), type: 'boolean', capability: () => ({ type: 'switch', property: 'on', writable: true }) };

/** Switch status: `output`, and with power metering `apower` (W), `voltage`, `current`, `aenergy.total` (Wh), `temperature.tC`. */
const switchFields: Field[] = [
  output,
  sensor('power', ['apower'], 'Power', 'W', 'power'),
  sensor('voltage', ['voltage'], 'Voltage', 'V', 'voltage'),
  sensor('current', ['current'], 'Current', 'A', 'current'),
  sensor('energy', ['aenergy', 'total'], 'Energy', 'Wh', 'energy'),
  sensor('device_temperature', ['temperature', 'tC'], 'Device temperature', '°C', 'temperature', 'diagnostic'),
];

const percentTo255 = (v: number) => Math.round((v * 255) / 100);
const to100 = (v: number) => Math.round((v * 100) / 255);

export const COMPONENTS: Record<string, ComponentSpec> = {
  switch: {
    kind: 'switch',
    ownDevice: true,
    fields: switchFields,
    // Switch.Set {id, on} (ComponentsAndServices/Switch#switchset).
    command: (id, c) => (c.on === undefined ? null : { method: 'Switch.Set', params: { id, on: c.on } }),
  },
  light: {
    kind: 'light',
    ownDevice: true,
    fields: [
      output,
      {
        property: 'brightness',
        read: at('brightness'),
        type: 'number',
        capability: () => ({ type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 }),
        toHub: percentTo255,
      },
      ...switchFields.slice(1),
    ],
    // Light.Set {id, on, brightness 0-100} (ComponentsAndServices/Light#lightset).
    command: (id, c) =>
      c.on === undefined && c.brightness === undefined
        ? null
        : { method: 'Light.Set', params: { id, ...(c.on !== undefined ? { on: c.on } : {}), ...(c.brightness !== undefined ? { brightness: to100(c.brightness) } : {}) } },
  },
  temperature: { kind: 'sensor', ownDevice: false, fields: [sensor('temperature', ['tC'], 'Temperature', '°C', 'temperature')] },
  humidity: { kind: 'sensor', ownDevice: false, fields: [sensor('humidity', ['rh'], 'Humidity', '%', 'humidity')] },
  devicepower: { kind: 'sensor', ownDevice: false, fields: [sensor('battery', ['battery', 'percent'], 'Battery', '%', 'battery', 'diagnostic')] },
  illuminance: { kind: 'sensor', ownDevice: false, fields: [sensor('illuminance', ['lux'], 'Illuminance', 'lx', 'illuminance')] },
  input: {
    kind: 'sensor',
    ownDevice: false,
    // `state` is null for an input in button mode: it reports events, not a level.
    fields: [{ property: 'input', read: at('state'), type: 'boolean', capability: (p) => ({ type: 'binarySensor', property: p, writable: false, label: 'Input' }) }],
  },
};

/** Components the hub knows of but cannot drive yet: listed on the device as unsupported. */
export const UNSUPPORTED = new Set(['cover', 'rgb', 'rgbw', 'cct', 'em', 'em1', 'pm1', 'thermostat', 'voltmeter']);

/** `switch:1` → ['switch', 1]; a component without an id (`sys`) is id 0. */
export function splitKey(key: string): [string, number] | null {
  const m = /^([a-z0-9_]+)(?::(\d{1,3}))?$/.exec(key);
  return m ? [m[1]!, Number(m[2] ?? 0)] : null;
}

/** Outputs are devices of their own; other components share the main device, so `temperature:1` is `temperature_1`. */
export const propertyOf = (spec: ComponentSpec, field: Field, id: number) => (spec.ownDevice || id === 0 ? field.property : `${field.property}_${id}`);

/** The hub's state from a component status: only fields present; an Error for a field of the wrong type. */
export function readComponent(spec: ComponentSpec, id: number, status: Record<string, unknown>): Record<string, StateValue> | Error {
  const state: Record<string, StateValue> = {};
  for (const field of spec.fields) {
    const value = field.read(status);
    if (value === undefined) continue;
    const property = propertyOf(spec, field, id);
    if (value === null) state[property] = null;
    else if (typeof value !== field.type) return new Error(`${property} is ${JSON.stringify(value)}, not a ${field.type}`);
    else state[property] = field.toHub ? field.toHub(value as number) : (value as StateValue);
  }
  return state;
}
