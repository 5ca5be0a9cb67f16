/**
 * The three simulated lights share one state shape and speak Home Assistant's JSON light
 * schema, as Zigbee2MQTT lights do; a kind only chooses which features it has.
 * https://www.home-assistant.io/integrations/light.mqtt/#json-schema
 */
import { deviceTopics } from '../../hub/protocol/topics.js';
import type { Rgb } from '../../hub/protocol/device.js';
import { between, type Random } from '../random.js';
import { entity } from './discovery.js';
import { isObject, type DeviceModel, type JsonObject } from './model.js';
import { clamp } from './physics.js';

export const MIN_MIREDS = 153;
export const MAX_MIREDS = 500;

export interface LightState {
  readonly on: boolean;
  /** 1-255 while on; kept while off, so the light comes back at the same level. */
  readonly brightness: number;
  readonly colorMode: 'color_temp' | 'rgb';
  readonly colorTemp: number;
  readonly color: Rgb;
}

export interface LightFeatures {
  words: string;
  dimmable: boolean;
  colour: boolean;
}

type Change = Partial<LightState>;
type Field = (value: unknown, state: LightState) => Change | Error;

const byte = (value: number) => clamp(Math.round(value), 0, 255);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Colour of white light at a temperature (Tanner Helland's fit of the Planckian locus). */
export function miredsToRgb(mireds: number): Rgb {
  const t = 1_000_000 / mireds / 100;
  const r = t <= 66 ? 255 : 329.698727446 * (t - 60) ** -0.1332047592;
  const g = t <= 66 ? 99.4708025861 * Math.log(t) - 161.1195681661 : 288.1221695283 * (t - 60) ** -0.0755148492;
  const b = t >= 66 ? 255 : t <= 19 ? 0 : 138.5177312231 * Math.log(t - 10) - 305.0447927307;
  return { r: byte(r), g: byte(g), b: byte(b) };
}

// Out-of-range numbers are clamped, not refused, as Zigbee2MQTT's converters do; a
// wrong type refuses the whole command so a command applies entirely or not at all.
const fields: Record<string, Field> = {
  state: (value, state) => {
    if (value === 'ON' || value === 'OFF') return { on: value === 'ON' };
    if (value === 'TOGGLE') return { on: !state.on };
    return new Error('state must be ON, OFF or TOGGLE');
  },
  // Zigbee2MQTT turns a light off on brightness 0 and keeps the last level for next time.
  brightness: (value) => {
    if (!isNumber(value)) return new Error('brightness must be a number');
    const brightness = byte(value);
    return brightness === 0 ? { on: false } : { on: true, brightness };
  },
  color_temp: (value) => {
    if (!isNumber(value)) return new Error('color_temp must be a number');
    const colorTemp = clamp(Math.round(value), MIN_MIREDS, MAX_MIREDS);
    return { on: true, colorMode: 'color_temp', colorTemp, color: miredsToRgb(colorTemp) };
  },
  color: (value) => {
    if (!isObject(value) || !isNumber(value.r) || !isNumber(value.g) || !isNumber(value.b)) {
      return new Error('color must be {"r","g","b"} numbers');
    }
    return { on: true, colorMode: 'rgb', color: { r: byte(value.r), g: byte(value.g), b: byte(value.b) } };
  },
};

/** Which fields a light understands, in the order they apply: an explicit state wins. */
const fieldsOf = ({ dimmable, colour }: LightFeatures): string[] => [
  ...(dimmable ? ['brightness'] : []),
  ...(colour ? ['color_temp', 'color'] : []),
  'state',
];

function applyLightCommand(names: string[], state: LightState, payload: unknown): LightState | Error {
  if (!isObject(payload)) return new Error('command must be a JSON object');
  const present = names.filter((name) => payload[name] !== undefined);
  // Firmware ignores keys it does not know; a command with none it knows is refused.
  if (present.length === 0) return new Error(`command has none of ${names.join(', ')}`);
  let next = state;
  for (const name of present) {
    const change = fields[name]!(payload[name], state);
    if (change instanceof Error) return change;
    next = { ...next, ...change };
  }
  return next;
}

function initialLight(random: Random): LightState {
  const colorTemp = Math.round(between(random, 250, 400));
  return {
    on: random() < 0.5,
    // between() never reaches its top, so flooring gives 40 to 255; rounding gave 256 once in 430.
    brightness: Math.floor(between(random, 40, 256)),
    colorMode: 'color_temp',
    colorTemp,
    color: miredsToRgb(colorTemp),
  };
}

function lightPayload({ dimmable, colour }: LightFeatures, state: LightState): JsonObject {
  return {
    state: state.on ? 'ON' : 'OFF',
    ...(dimmable ? { brightness: state.brightness } : {}),
    ...(colour ? { color_mode: state.colorMode, color_temp: state.colorTemp, color: { ...state.color } } : {}),
  };
}

function colorModes({ dimmable, colour }: LightFeatures): string[] {
  if (colour) return ['color_temp', 'rgb'];
  return dimmable ? ['brightness'] : ['onoff'];
}

export function lightModel(features: LightFeatures): DeviceModel<LightState> {
  const names = fieldsOf(features);
  return {
    words: features.words,
    periodic: false,
    initialState: initialLight,
    applyCommand: (state, payload) => applyLightCommand(names, state, payload),
    // Lights do not change by themselves.
    tick: (state) => state,
    toStatePayload: (state) => lightPayload(features, state),
    discoveryConfigs: (id, name) => [
      entity({ id, name, words: features.words }, 'light', 'light', {
        name: null,
        schema: 'json',
        command_topic: deviceTopics(id).set,
        brightness: features.dimmable,
        brightness_scale: 255,
        supported_color_modes: colorModes(features),
        ...(features.colour ? { min_mireds: MIN_MIREDS, max_mireds: MAX_MIREDS } : {}),
      }),
    ],
  };
}
