import type { Capability, DeviceCommand, DeviceKind, DeviceState, Rgb } from '../../protocol/device.js';
import { availabilityPayloads, type Entity, type OutgoingMessage, type Payload } from '../entity.js';
import { slug } from '../home-assistant/normalise.js';
import { CMND, STAT, TELE, fullTopic, type TasmotaConfig, type TasmotaSensors } from './config.js';

/** Relay types in `rl`: 1 a relay, 2 a light. */
const RELAY = 1;
const LIGHT = 2;
/** Light subtypes in `lt_st`: 1 dimmer, 2 colour temperature, 3 RGB, 4 RGBW, 5 RGBCW. */
const LT = { dimmer: 1, ct: 2, rgb: 3, rgbcw: 5 };

/** Entities of one Tasmota device: one per relay or light, one per sensor reading. */
export function tasmotaEntities(config: TasmotaConfig, sensors: TasmotaSensors | undefined): Entity[] {
  const mac = config.mac.toUpperCase();
  const base = `tasmota/discovery/${mac}`;
  const mainId = `tasmota-${slug(mac)}`;
  const relays = config.rl.map((type, index) => ({ type, index })).filter((r) => r.type === RELAY || r.type === LIGHT);
  const common = {
    protocol: 'tasmota' as const,
    availability: [availabilityPayloads(fullTopic(config, TELE, 'LWT'), config.onln, config.ofln)],
    availabilityMode: 'latest' as const,
  };
  const entities: Entity[] = relays.map(({ type, index }, i) => {
    // One relay answers to POWER; with several they are POWER1, POWER2, ...
    const power = relays.length === 1 ? 'POWER' : `POWER${index + 1}`;
    const isLight = type === LIGHT || config.so?.['30'] === 1;
    const subtype = type === LIGHT ? (config.lt_st ?? 0) : 0;
    const name = config.fn[index] ?? `${config.dn} ${index + 1}`;
    return {
      ...common,
      key: `${base}#${power}`,
      deviceId: i === 0 ? mainId : `${mainId}-${index + 1}`,
      device: { name: relays.length === 1 ? config.dn : name, manufacturer: 'Tasmota', model: config.md ?? null },
      kind: (isLight ? 'light' : 'switch') as DeviceKind,
      ...relayParts(config, power, subtype),
    };
  });
  for (const [sensor, quantity, value] of readings(sensors)) {
    const q = QUANTITIES[quantity] ?? { property: slug(quantity).replaceAll('-', '_'), label: quantity };
    const unit = quantity === 'Temperature' || quantity === 'DewPoint' ? `°${String(sensors?.sn.TempUnit ?? 'C')}` : q.unit;
    const property = `${q.property}${readings(sensors).filter(([, other]) => other === quantity).length > 1 ? `_${slug(sensor)}` : ''}`;
    if (typeof value !== 'number') continue;
    const capability: Capability = { type: 'sensor', property, writable: false, label: q.label, ...(unit ? { unit } : {}), ...(q.deviceClass ? { deviceClass: q.deviceClass } : {}) };
    entities.push({
      ...common,
      key: `${base}#${sensor}.${quantity}`,
      deviceId: mainId,
      device: { name: config.dn, manufacturer: 'Tasmota', model: config.md ?? null },
      kind: 'sensor',
      capabilities: [capability],
      stateTopics: [fullTopic(config, TELE, 'SENSOR')],
      commandTopics: [],
      decode: (_topic, payload) => {
        const reading = (payload.json() as Record<string, Record<string, unknown>> | undefined)?.[sensor]?.[quantity];
        if (reading === undefined) return {};
        return typeof reading === 'number' ? { [property]: reading } : new Error(`${sensor}.${quantity} is not a number`);
      },
      encode: () => [],
    });
  }
  return entities;
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

/** Bookkeeping values Tasmota mixes into its sensor objects, not readings. */
const NOT_READINGS = new Set(['TotalStartTime', 'Yesterday', 'Period', 'ApparentPower', 'ReactivePower', 'Factor', 'Id']);

function readings(sensors: TasmotaSensors | undefined): [string, string, unknown][] {
  const out: [string, string, unknown][] = [];
  for (const [sensor, values] of Object.entries(sensors?.sn ?? {})) {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) continue;
    for (const [quantity, value] of Object.entries(values)) if (!NOT_READINGS.has(quantity)) out.push([sensor, quantity, value]);
  }
  return out;
}

type RelayParts = Pick<Entity, 'capabilities' | 'stateTopics' | 'commandTopics' | 'decode' | 'encode'>;

function relayParts(config: TasmotaConfig, power: string, subtype: number): RelayParts {
  const [off, on] = config.state as [string, string];
  const capabilities: Capability[] = [{ type: 'switch', property: 'on', writable: true }];
  if (subtype >= LT.dimmer) capabilities.push({ type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 });
  if (subtype === LT.ct || subtype === LT.rgbcw) capabilities.push({ type: 'colorTemp', property: 'colorTemp', writable: true, min: 153, max: 500, unit: 'mired' });
  if (subtype >= LT.rgb) capabilities.push({ type: 'color', property: 'color', writable: true });
  const plain = fullTopic(config, STAT, power);
  const command = (c: string, payload: string): OutgoingMessage => ({ topic: fullTopic(config, CMND, c), payload, qos: 0 });
  return {
    capabilities,
    stateTopics: [fullTopic(config, STAT, 'RESULT'), fullTopic(config, TELE, 'STATE'), plain],
    commandTopics: [fullTopic(config, CMND, power), ...(subtype ? ['Dimmer', 'CT', 'Color'].map((c) => fullTopic(config, CMND, c)) : [])],
    decode: (topic, payload) => (topic === plain ? onOff(payload.text, on, off) : decodeJson(payload, power, on, off, subtype)),
    encode: (c: DeviceCommand) => [
      ...(c.on !== undefined ? [command(power, c.on ? on : off)] : []),
      ...(subtype && c.brightness !== undefined ? [command('Dimmer', String(Math.round((c.brightness * 100) / 255)))] : []),
      ...(subtype && c.colorTemp !== undefined ? [command('CT', String(c.colorTemp))] : []),
      ...(subtype && c.color !== undefined ? [command('Color', `${c.color.r},${c.color.g},${c.color.b}`)] : []),
    ],
  };
}

function onOff(text: string, on: string, off: string): DeviceState | Error {
  if (text === on) return { on: true };
  if (text === off) return { on: false };
  return new Error(`power state ${JSON.stringify(text)} is neither ${on} nor ${off}`);
}

/** RESULT and STATE messages: POWER (or POWER1 with SetOption26), Dimmer 0-100, CT in mireds, Color in hex or r,g,b. */
function decodeJson(payload: Payload, power: string, on: string, off: string, subtype: number): DeviceState | Error {
  const json = payload.json() as Record<string, unknown> | undefined;
  if (json === null || typeof json !== 'object') return new Error('Tasmota state is not a JSON object');
  const state: Record<string, DeviceState[string]> = {};
  const powerValue = json[power] ?? (power === 'POWER' ? json.POWER1 : undefined);
  if (typeof powerValue === 'string') {
    const decoded = onOff(powerValue, on, off);
    if (decoded instanceof Error) return decoded;
    Object.assign(state, decoded);
  }
  if (subtype && typeof json.Dimmer === 'number') state.brightness = Math.round((json.Dimmer * 255) / 100);
  if (subtype && typeof json.CT === 'number') state.colorTemp = json.CT;
  if (subtype && typeof json.Color === 'string') {
    const color = parseColor(json.Color);
    if (color) state.color = color;
  }
  return state;
}

function parseColor(text: string): Rgb | undefined {
  if (/^[0-9A-Fa-f]{6,10}$/.test(text)) return { r: parseInt(text.slice(0, 2), 16), g: parseInt(text.slice(2, 4), 16), b: parseInt(text.slice(4, 6), 16) };
  const parts = text.split(',').map(Number);
  return parts.length >= 3 && parts.slice(0, 3).every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? { r: parts[0]!, g: parts[1]!, b: parts[2]! } : undefined;
}
