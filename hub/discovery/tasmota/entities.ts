import type { Capability, DeviceCommand, DeviceKind, DeviceState, Rgb, StateValue } from '../../protocol/device.js';
import { hsToRgb, pyRound, rgbToHs } from '../color.js';
import { availabilityPayloads, type Entity, type OutgoingMessage, type Payload } from '../entity.js';
import { intentOf } from '../home-assistant/light.js';
import { slug } from '../home-assistant/normalise.js';
import { CMND, STAT, TELE, fullTopic, type TasmotaConfig, type TasmotaSensors } from './config.js';
import { readValue, sensorReadings } from './sensors.js';

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
    // One relay reports POWER; with several they are POWER1, POWER2, ...
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
      ...relayParts(config, index, power, subtype),
    };
  });
  const sensorTopic = fullTopic(config, TELE, 'SENSOR');
  const pollTopic = fullTopic(config, STAT, 'STATUS10');
  for (const reading of sensorReadings(sensors)) {
    entities.push({
      ...common,
      key: `${base}#${reading.path.join('.')}`,
      deviceId: mainId,
      device: { name: config.dn, manufacturer: 'Tasmota', model: config.md ?? null },
      kind: 'sensor',
      capabilities: [reading.capability],
      stateTopics: [sensorTopic, pollTopic],
      commandTopics: [],
      decode: (topic, payload) => {
        const value = readValue(reading, payload, topic === pollTopic);
        return value === undefined ? {} : value instanceof Error ? value : { [reading.capability.property]: value };
      },
      encode: () => [],
    });
  }
  return entities;
}

type RelayParts = Pick<Entity, 'capabilities' | 'stateTopics' | 'commandTopics' | 'decode' | 'encode'>;

/** Tasmota's colour temperature range in mireds; SetOption82 narrows it for Alexa (hatasmota's light.py). */
const CT_RANGE = { min: 153, max: 500 };
const REDUCED_CT_RANGE = { min: 200, max: 380 };

/**
 * A relay answers `POWER<n> ON`; a light takes one `Backlog` of `NoDelay`-separated commands
 * (`Power1 ON`, `Dimmer 0-100`, `HsbColor1`/`HsbColor2`, `CT`), exactly as Home Assistant's
 * Tasmota integration sends them (hatasmota's relay.py and light.py, and the integration's
 * tests in home-assistant/core tests/components/tasmota/test_light.py).
 */
function relayParts(config: TasmotaConfig, index: number, power: string, subtype: number): RelayParts {
  const [off, on] = config.state as [string, string];
  const ct = config.so?.['82'] === 1 ? REDUCED_CT_RANGE : CT_RANGE;
  const capabilities: Capability[] = [{ type: 'switch', property: 'on', writable: true }];
  if (subtype >= LT.dimmer) capabilities.push({ type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 });
  if (subtype === LT.ct || subtype === LT.rgbcw) capabilities.push({ type: 'colorTemp', property: 'colorTemp', writable: true, ...ct, unit: 'mired' });
  if (subtype >= LT.rgb) capabilities.push({ type: 'color', property: 'color', writable: true });
  const plain = fullTopic(config, STAT, power);
  const powerCommand = `POWER${index + 1}`;
  const send = (command: string, payload: string): OutgoingMessage[] => [{ topic: fullTopic(config, CMND, command), payload, qos: 0 }];
  return {
    capabilities,
    stateTopics: [fullTopic(config, STAT, 'RESULT'), fullTopic(config, TELE, 'STATE'), plain],
    commandTopics: [fullTopic(config, CMND, subtype ? 'Backlog' : powerCommand)],
    decode: (topic, payload) => (topic === plain ? onOff(payload.text, on, off) : decodeJson(payload, power, on, off, subtype)),
    encode: (c: DeviceCommand) => {
      if (!subtype) return c.on === undefined ? [] : send(powerCommand, c.on ? on : off);
      const commands = lightCommands(c, `Power${index + 1}`, on, off);
      return commands.length ? send('Backlog', commands.map(([name, arg]) => `NoDelay;${name} ${arg}`).join(';')) : [];
    },
  };
}

/** The commands of one light change: brightness stands in for the power command, as in hatasmota. */
function lightCommands(command: DeviceCommand, power: string, on: string, off: string): [string, string | number][] {
  const intent = intentOf(command);
  if (!intent) return [];
  if (intent.off) return [[power, off]];
  const commands: [string, string | number][] = [];
  // Home Assistant's Tasmota light: round to 0-100, never 0 for a light that is on.
  commands.push(intent.brightness !== undefined ? ['Dimmer', Math.max(Math.min(pyRound((intent.brightness / 255) * 100), 100), 1)] : [power, on]);
  if (intent.color) {
    const { h, s } = rgbToHs(intent.color);
    commands.push(['HsbColor1', pyRound(h)], ['HsbColor2', pyRound(s)]);
  }
  if (intent.colorTemp !== undefined) commands.push(['CT', intent.colorTemp]);
  return commands;
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
  if (!subtype) return state;
  if (typeof json.Dimmer === 'number') state.brightness = pyRound((json.Dimmer * 255) / 100);
  if (typeof json.CT === 'number') state.colorTemp = json.CT;
  const color = colorOf(json, state.brightness);
  if (color) state.color = color;
  return state;
}

/** `HSBColor` when reported (what hatasmota reads), else `Color`, whose channels Tasmota scales by the dimmer. */
function colorOf(json: Record<string, unknown>, brightness: StateValue | undefined): Rgb | undefined {
  if (typeof json.HSBColor === 'string') {
    const [h, s] = json.HSBColor.split(',').map(Number);
    if (Number.isFinite(h) && Number.isFinite(s)) return hsToRgb(h!, s!);
  }
  const color = typeof json.Color === 'string' ? parseColor(json.Color) : undefined;
  if (!color || typeof brightness !== 'number' || brightness === 0) return color;
  const full = (c: number) => Math.min(pyRound((c / brightness) * 255), 255);
  return { r: full(color.r), g: full(color.g), b: full(color.b) };
}

function parseColor(text: string): Rgb | undefined {
  if (/^[0-9A-Fa-f]{6,10}$/.test(text)) return { r: parseInt(text.slice(0, 2), 16), g: parseInt(text.slice(2, 4), 16), b: parseInt(text.slice(4, 6), 16) };
  const parts = text.split(',').map(Number);
  return parts.length >= 3 && parts.slice(0, 3).every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? { r: parts[0]!, g: parts[1]!, b: parts[2]! } : undefined;
}
