import type { SensorCapability, StateValue } from '../../protocol/device.js';
import { isObject, type Payload } from '../entity.js';
import { slug } from '../home-assistant/normalise.js';
import type { TasmotaSensors } from './config.js';

/**
 * Tasmota's sensors message lists every reading with its last value, which may be a number,
 * text (a DS18B20's `Id`), null (not read yet), an object of readings (`TX23.Speed.Act`) or
 * a list of them (`ENERGY.TotalTariff`, one per tariff or phase). Every one of them is a
 * reading, as Home Assistant's Tasmota integration (hatasmota's sensor.py) makes them. State
 * comes from `tele/…/SENSOR` and from the polled `stat/…/STATUS10`, under `StatusSNS`.
 */
export interface Reading {
  /** Where the value sits in a SENSOR message, e.g. `['ENERGY', 'TotalTariff', 1]`. */
  path: (string | number)[];
  capability: SensorCapability;
}

const QUANTITIES: Record<string, { property: string; label: string; unit?: string; deviceClass?: string }> = {
  Temperature: { property: 'temperature', label: 'Temperature', deviceClass: 'temperature' },
  DewPoint: { property: 'dew_point', label: 'Dew point', deviceClass: 'temperature' },
  Humidity: { property: 'humidity', label: 'Humidity', unit: '%', deviceClass: 'humidity' },
  Pressure: { property: 'pressure', label: 'Pressure', unit: 'hPa', deviceClass: 'pressure' },
  Illuminance: { property: 'illuminance', label: 'Illuminance', unit: 'lx', deviceClass: 'illuminance' },
  Power: { property: 'power', label: 'Power', unit: 'W', deviceClass: 'power' },
  Total: { property: 'energy', label: 'Energy', unit: 'kWh', deviceClass: 'energy' },
  Today: { property: 'energy_today', label: 'Energy today', unit: 'kWh', deviceClass: 'energy' },
  Voltage: { property: 'voltage', label: 'Voltage', unit: 'V', deviceClass: 'voltage' },
  Current: { property: 'current', label: 'Current', unit: 'A', deviceClass: 'current' },
};

/** Keys of the sensors message that are no sensor (hatasmota's IGNORED_SENSORS; units are top-level text). */
const IGNORED = new Set(['Time', 'PN532', 'RDM6300']);
/** Bookkeeping values Tasmota mixes into its energy object, not readings the hub shows. */
const NOT_READINGS = new Set(['TotalStartTime', 'Yesterday', 'Period', 'ApparentPower', 'ReactivePower', 'Factor']);

/** Every reading the sensors message announces, in its order. */
export function sensorReadings(sensors: TasmotaSensors | undefined): Reading[] {
  const found: { path: (string | number)[]; quantity: string; sample: unknown }[] = [];
  for (const [sensor, values] of Object.entries(sensors?.sn ?? {})) {
    if (IGNORED.has(sensor) || !isObject(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (NOT_READINGS.has(key)) continue;
      if (isObject(value)) for (const [inner, v] of Object.entries(value)) found.push({ path: [sensor, key, inner], quantity: QUANTITIES[inner] ? inner : key, sample: v });
      else if (Array.isArray(value)) value.forEach((v, i) => found.push({ path: [sensor, key, i], quantity: key, sample: v }));
      else found.push({ path: [sensor, key], quantity: key.replace(/(\D)\d$/, '$1'), sample: value });
    }
  }
  const tempUnit = `°${String(sensors?.sn.TempUnit ?? 'C')}`;
  return found.map(({ path, quantity, sample }) => {
    const q = Object.hasOwn(QUANTITIES, quantity) ? QUANTITIES[quantity]! : { property: slug(quantity).replaceAll('-', '_'), label: quantity };
    const shared = found.filter((f) => f.quantity === quantity && f.path.length === path.length).length > 1;
    const tail = path.slice(2).map((p) => slug(String(p)).replaceAll('-', '_'));
    const property = [q.property, ...tail, ...(shared && path.length === 2 ? [slug(String(path[0])).replaceAll('-', '_')] : [])].join('_');
    // Text readings (an `Id`) carry no unit; temperatures are in the device's TempUnit.
    const unit = typeof sample === 'string' ? undefined : quantity === 'Temperature' || quantity === 'DewPoint' ? tempUnit : q.unit;
    const label = path.length > 2 ? `${q.label} ${path.slice(2).join(' ')}` : shared || !QUANTITIES[quantity] ? `${path[0]} ${q.label}` : q.label;
    const capability: SensorCapability = { type: 'sensor', property, writable: false, label, ...(unit ? { unit } : {}), ...(q.deviceClass ? { deviceClass: q.deviceClass } : {}) };
    return { path, capability };
  });
}

/**
 * The value of a reading in a SENSOR message (or a STATUS10 reply, `polled`): undefined when
 * the message does not carry it. A list with fewer values than announced, or a single value
 * where a list was announced, is read as far as it goes, as hatasmota does.
 */
export function readValue(reading: Reading, payload: Payload, polled: boolean): StateValue | undefined | Error {
  const json = payload.json();
  let node: unknown = polled && isObject(json) ? json.StatusSNS : json;
  const { path } = reading;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (typeof key === 'number' && !Array.isArray(node)) return key === 0 && i === path.length - 1 ? valueOf(reading, node) : undefined;
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return valueOf(reading, node);
}

function valueOf({ capability, path }: Reading, v: unknown): StateValue | undefined | Error {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  if (!capability.unit) return v;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : new Error(`${path.join('.')} is not a number`);
}
