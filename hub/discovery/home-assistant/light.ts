import type { Capability, DeviceCommand, DeviceState, Rgb } from '../../protocol/device.js';
import { hsToRgb, rgbToHs, rgbToXy, xyToRgb } from '../color.js';
import { compileTemplate } from '../template/index.js';
import type { ComponentInput, EntityParts } from './normalise.js';

const HUB_SCALE = 255;
const DEFAULT_MIREDS = { min: 153, max: 500 };
const RGB_MODES = new Set(['rgb', 'rgbw', 'rgbww']);
const COLOR_MODES = new Set([...RGB_MODES, 'hs', 'xy']);

/** How a light wants colour commands: RGB when it can, else hue/saturation, else xy. */
type ColorSpace = 'rgb' | 'hs' | 'xy';
function colorSpaceOf(modes: readonly string[]): ColorSpace {
  if (modes.some((m) => RGB_MODES.has(m))) return 'rgb';
  return modes.includes('hs') ? 'hs' : 'xy';
}
const DIMMABLE_MODES = new Set(['brightness', 'color_temp', 'hs', 'xy', 'rgb', 'rgbw', 'rgbww', 'white']);

const toMired = (kelvin: number) => Math.round(1_000_000 / kelvin);

/** Capabilities a light announces; the hub always speaks 0-255 brightness and mireds. */
function lightCapabilities({ config }: ComponentInput): Capability[] {
  const modes = config.supported_color_modes ?? [];
  const capabilities: Capability[] = [{ type: 'switch', property: 'on', writable: true }];
  const dimmable = config.brightness === true || modes.some((m) => DIMMABLE_MODES.has(m)) || !!config.brightness_command_topic;
  if (dimmable) capabilities.push({ type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 });
  if (modes.includes('color_temp')) {
    const min = config.max_kelvin ? toMired(config.max_kelvin) : (config.min_mireds ?? DEFAULT_MIREDS.min);
    const max = config.min_kelvin ? toMired(config.min_kelvin) : (config.max_mireds ?? DEFAULT_MIREDS.max);
    capabilities.push({ type: 'colorTemp', property: 'colorTemp', writable: true, min, max, unit: 'mired' });
  }
  if (modes.some((m) => COLOR_MODES.has(m))) capabilities.push({ type: 'color', property: 'color', writable: true });
  // Effects are only commanded through the JSON schema's `effect` key.
  if (config.schema === 'json' && config.effect === true && config.effect_list?.length) {
    capabilities.push({ type: 'effect', property: 'effect', writable: true, options: [...new Set(config.effect_list)] });
  }
  return capabilities;
}

/** The JSON schema: one JSON state topic and one JSON command topic for everything. */
export function jsonLight(input: ComponentInput): EntityParts | Error {
  const { config } = input;
  if (!config.command_topic) return new Error('light without command_topic');
  const commandTopic = config.command_topic;
  const scale = config.brightness_scale ?? HUB_SCALE;
  const kelvin = config.color_temp_kelvin === true;
  const space = colorSpaceOf(config.supported_color_modes ?? []);
  const qos = config.qos ? 1 : 0;
  const capabilities = lightCapabilities(input);
  const effects = capabilities.some((c) => c.type === 'effect');
  return {
    capabilities,
    optimistic: !config.state_topic || config.optimistic === true,
    stateTopics: config.state_topic ? [config.state_topic] : [],
    commandTopics: [commandTopic],
    decode: (_topic, payload) => {
      const json = payload.json();
      if (json === null || typeof json !== 'object') return new Error('light state is not a JSON object');
      return decodeJsonState(json as Record<string, unknown>, scale, kelvin, effects);
    },
    encode: (command) => {
      const body = encodeJsonCommand(command, scale, kelvin, space);
      return body ? [{ topic: commandTopic, payload: JSON.stringify(body), qos }] : [];
    },
  };
}

function decodeJsonState(json: Record<string, unknown>, scale: number, kelvin: boolean, effects: boolean): DeviceState | Error {
  const state: Record<string, DeviceState[string]> = {};
  if (json.state === 'ON' || json.state === 'OFF') state.on = json.state === 'ON';
  else if (json.state !== undefined) return new Error(`light state ${JSON.stringify(json.state)} is neither ON nor OFF`);
  if (typeof json.brightness === 'number') state.brightness = Math.round((json.brightness * HUB_SCALE) / scale);
  if (typeof json.color_temp === 'number') state.colorTemp = kelvin ? toMired(json.color_temp) : json.color_temp;
  const color = colorOf(json.color);
  if (color) state.color = color;
  if (typeof json.color_mode === 'string') state.colorMode = json.color_mode;
  if (effects && (typeof json.effect === 'string' || json.effect === null)) state.effect = json.effect;
  return state;
}

/**
 * The colour in a JSON light state, as RGB. ESPHome always sends a `color` object, empty
 * unless the light is in a colour mode; Zigbee bulbs report xy, some firmware hue/saturation.
 */
function colorOf(raw: unknown): Rgb | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const num = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
  const [r, g, b, h, s, x, y] = ['r', 'g', 'b', 'h', 's', 'x', 'y'].map(num);
  if (r !== undefined && g !== undefined && b !== undefined) return { r, g, b };
  if (h !== undefined && s !== undefined) return hsToRgb(h, s);
  if (x !== undefined && y !== undefined) return xyToRgb(x, y);
  return undefined;
}

const encodeColor: Record<ColorSpace, (c: Rgb) => object> = { rgb: (c) => ({ ...c }), hs: rgbToHs, xy: rgbToXy };

function encodeJsonCommand(command: DeviceCommand, scale: number, kelvin: boolean, space: ColorSpace): Record<string, unknown> | null {
  const body: Record<string, unknown> = {};
  if (command.on !== undefined) body.state = command.on ? 'ON' : 'OFF';
  if (command.brightness !== undefined) body.brightness = Math.round((command.brightness * scale) / HUB_SCALE);
  if (command.colorTemp !== undefined) body.color_temp = kelvin ? toMired(command.colorTemp) : command.colorTemp;
  if (command.color !== undefined) body.color = encodeColor[space](command.color);
  if (command.effect !== undefined) body.effect = command.effect;
  return Object.keys(body).length > 0 ? body : null;
}

/** The default schema: ON/OFF on one topic pair, brightness on its own pair. */
export function defaultLight(input: ComponentInput): EntityParts | Error {
  const { config } = input;
  if (!config.command_topic) return new Error('light without command_topic');
  const stateTemplate = compileTemplate(config.state_value_template);
  const brightnessTemplate = compileTemplate(config.brightness_value_template);
  if (stateTemplate instanceof Error) return stateTemplate;
  if (brightnessTemplate instanceof Error) return brightnessTemplate;
  const commandTopic = config.command_topic;
  const { brightness_state_topic: brightnessState, brightness_command_topic: brightnessCommand } = config;
  const on = String(config.payload_on ?? 'ON');
  const off = String(config.payload_off ?? 'OFF');
  const scale = config.brightness_scale ?? HUB_SCALE;
  const qos = config.qos ? 1 : 0;
  return {
    capabilities: lightCapabilities(input),
    optimistic: !config.state_topic || config.optimistic === true,
    stateTopics: [config.state_topic, brightnessState].filter((t): t is string => !!t),
    commandTopics: [commandTopic, brightnessCommand].filter((t): t is string => !!t),
    decode: (topic, payload): DeviceState | Error => {
      if (topic === brightnessState) {
        const level = Number(brightnessTemplate(payload.text, () => payload.json()));
        return Number.isFinite(level) ? { brightness: Math.round((level * HUB_SCALE) / scale) } : new Error('brightness is not a number');
      }
      const value = String(stateTemplate(payload.text, () => payload.json()));
      if (value === on || value === off) return { on: value === on };
      return new Error(`light state ${JSON.stringify(value)} is neither ${on} nor ${off}`);
    },
    encode: (command) => {
      const out = [];
      if (command.on !== undefined) out.push({ topic: commandTopic, payload: command.on ? on : off, qos } as const);
      if (command.brightness !== undefined && brightnessCommand) {
        out.push({ topic: brightnessCommand, payload: String(Math.round((command.brightness * scale) / HUB_SCALE)), qos } as const);
      }
      return out;
    },
  };
}
