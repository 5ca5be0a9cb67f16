import type { Capability, DeviceCommand, StateValue } from '../../protocol/device.js';
import { hsToRgb, rgbToHs, rgbToXy, xyToRgb } from '../color.js';
import { isObject } from '../entity.js';
import type { Z2mExpose } from './devices.js';

/**
 * Zigbee2MQTT exposes (zigbee2mqtt.io/guide/usage/exposes.html) as the hub's capabilities.
 * `access` is a bit mask: 1 the property is published in the device's state, 2 it can be
 * set, 4 it can be read with `/get`.
 */
export const ACCESS = { published: 1, set: 2, get: 4 } as const;

/** One property of a device: its capability, how to read it from the state JSON, how to write it. */
export interface Part {
  capability: Capability;
  /** undefined when the state does not mention it; an Error when it is not what the expose says. */
  read(json: Record<string, unknown>): StateValue | undefined | Error;
  write?(command: DeviceCommand, body: Record<string, unknown>): void;
}

const can = (e: Z2mExpose, bit: number) => ((e.access ?? 0) & bit) !== 0;
const humanise = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

/** A binary's own words (`ON`/`OFF`, `true`/`false`, `LOCK`...) as a boolean. */
function readBinary(e: Z2mExpose, property: string) {
  return (json: Record<string, unknown>): boolean | undefined | Error => {
    const v = json[property];
    if (v === undefined) return undefined;
    if (v === e.value_on) return true;
    if (v === e.value_off) return false;
    return new Error(`${property} is ${JSON.stringify(v)}, neither ${JSON.stringify(e.value_on)} nor ${JSON.stringify(e.value_off)}`);
  };
}

function readNumber(property: string, scale = (v: number) => v) {
  return (json: Record<string, unknown>): number | null | undefined | Error => {
    const v = json[property];
    if (v === undefined || v === null) return v;
    return typeof v === 'number' ? scale(v) : new Error(`${property} is ${JSON.stringify(v)}, not a number`);
  };
}

/** A light's or switch's features, by feature name. */
const FEATURES: Record<string, (f: Z2mExpose, property: string) => Part | null> = {
  state: (f, p) => ({
    capability: { type: 'switch', property: 'on', writable: true },
    read: readBinary(f, p),
    write: (c, body) => {
      if (c.on !== undefined) body[p] = c.on ? f.value_on : f.value_off;
    },
  }),
  brightness: (f, p) => {
    const max = f.value_max ?? 254; // Zigbee's level: 0-254
    return {
      capability: { type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 },
      read: readNumber(p, (v) => Math.round((v * 255) / max)),
      write: (c, body) => {
        if (c.brightness !== undefined) body[p] = Math.round((c.brightness * max) / 255);
      },
    };
  },
  color_temp: (f, p) => ({
    capability: { type: 'colorTemp', property: 'colorTemp', writable: true, min: f.value_min ?? 150, max: f.value_max ?? 500, unit: 'mired' },
    read: readNumber(p),
    write: (c, body) => {
      if (c.colorTemp !== undefined) body[p] = c.colorTemp;
    },
  }),
  color_xy: (_f, p) => colorPart(p, (c) => rgbToXy(c)),
  color_hs: (_f, p) => colorPart(p, (c) => {
    const { h, s } = rgbToHs(c);
    return { hue: h, saturation: s };
  }),
};

/** Zigbee2MQTT reports colour as `{x, y}` (and often `hue`/`saturation` too); the hub speaks RGB. */
function colorPart(property: string, encode: (c: { r: number; g: number; b: number }) => object): Part {
  return {
    capability: { type: 'color', property: 'color', writable: true },
    read: (json) => {
      const c = json[property];
      if (!isObject(c)) return undefined;
      if (typeof c.x === 'number' && typeof c.y === 'number') return xyToRgb(c.x, c.y);
      if (typeof c.hue === 'number' && typeof c.saturation === 'number') return hsToRgb(c.hue, c.saturation);
      return undefined;
    },
    write: (c, body) => {
      if (c.color !== undefined) body[property] = encode(c.color);
    },
  };
}

/** The controls of a `light` or `switch` expose: settable features only, one colour at most. */
export function controlParts(expose: Z2mExpose): Part[] {
  const parts: Part[] = [];
  const features = expose.features ?? [];
  // Zigbee bulbs work in xy; hue/saturation is for those that offer nothing else.
  const hasXy = features.some((f) => f.name === 'color_xy');
  for (const f of features.filter((f) => !(hasXy && f.name === 'color_hs'))) {
    const make = FEATURES[f.name ?? ''];
    const part = make && can(f, ACCESS.set) ? make(f, f.property ?? f.name!) : null;
    if (part && !parts.some((p) => p.capability.property === part.capability.property)) parts.push(part);
  }
  return parts;
}

/** Device classes of Zigbee2MQTT's usual property names, for the dashboard's icons and formats. */
const DEVICE_CLASSES: Record<string, string> = {
  temperature: 'temperature', device_temperature: 'temperature', local_temperature: 'temperature', humidity: 'humidity', pressure: 'pressure',
  power: 'power', energy: 'energy', voltage: 'voltage', current: 'current', battery: 'battery', illuminance: 'illuminance', illuminance_lux: 'illuminance',
  co2: 'carbon_dioxide', voc: 'volatile_organic_compounds', pm25: 'pm25', linkquality: 'signal_strength',
  occupancy: 'motion', presence: 'presence', water_leak: 'moisture', smoke: 'smoke', gas: 'gas', carbon_monoxide: 'carbon_monoxide',
  vibration: 'vibration', tamper: 'tamper', battery_low: 'battery', contact: 'door',
};

/** Read-only: the hub has no generic numeric or choice control, so settable ones show their value. */
const READINGS: Record<string, (e: Z2mExpose, property: string) => Part> = {
  numeric: (e, p) => ({ capability: reading(e, p, 'sensor'), read: readNumber(p) }),
  binary: (e, p) =>
    // Zigbee2MQTT's `contact` is true when closed (its expose: value_on false, value_off true);
    // the hub's door sensor is true when open, so it reads `open`, whatever words are declared.
    p === 'contact'
      ? { capability: { ...reading(e, 'open', 'binarySensor'), label: 'Open' }, read: readBinary({ ...e, value_on: false, value_off: true }, p) }
      : { capability: reading(e, p, 'binarySensor'), read: readBinary(e, p) },
  enum: (e, p) => ({ capability: reading(e, p, 'sensor'), read: readText(p) }),
  text: (e, p) => ({ capability: reading(e, p, 'sensor'), read: readText(p) }),
};

function readText(property: string) {
  return (json: Record<string, unknown>): string | null | undefined | Error => {
    const v = json[property];
    if (v === undefined || v === null || typeof v === 'string') return v;
    return new Error(`${property} is ${JSON.stringify(v)}, not text`);
  };
}

function reading(e: Z2mExpose, property: string, type: 'sensor' | 'binarySensor'): Capability {
  const deviceClass = DEVICE_CLASSES[e.property ?? ''];
  const category = e.category === 'diagnostic' || e.category === 'config' ? e.category : undefined;
  return {
    type,
    property,
    writable: false,
    label: e.label ?? humanise(e.name ?? property),
    ...(type === 'sensor' && e.unit ? { unit: e.unit } : {}),
    ...(deviceClass ? { deviceClass } : {}),
    ...(category ? { category } : {}),
  } as Capability;
}

/** Hub properties a reading may not take: they belong to a light's controls. */
const RESERVED = new Set(['on', 'brightness', 'colorTemp', 'color', 'effect', 'colorMode']);

/** A reading expose the device publishes, or null when the hub does not read it. */
export function readingPart(expose: Z2mExpose): Part | null {
  const make = READINGS[expose.type];
  const property = expose.property ?? expose.name;
  if (!make || !property || RESERVED.has(property) || !can(expose, ACCESS.published)) return null;
  return make(expose, property);
}

export const isReading = (expose: Z2mExpose) => Object.hasOwn(READINGS, expose.type);
export const isControl = (expose: Z2mExpose) => expose.type === 'light' || expose.type === 'switch';
