import type { DeviceState, Rgb } from '../../protocol/device.js';
import { hsToRgb, pyRound, rgbwToRgb, rgbwwToRgb, xyToRgb } from '../color.js';
import { isObject, type OutgoingMessage } from '../entity.js';
import {
  HUB_SCALE, RGB_MODES, colorForModes, deviceColorTemp, fromDeviceBrightness, intentOf, kelvinRange, kelvinToMired,
  lightCapabilities, toDeviceBrightness, type LightFeatures,
} from './light.js';
import type { ComponentInput, EntityParts } from './normalise.js';

/** Modes in which a JSON light can be dimmed (Home Assistant's `brightness_supported`). */
const DIMMABLE_MODES = new Set(['brightness', 'color_temp', 'hs', 'xy', 'rgb', 'rgbw', 'rgbww', 'white']);

/**
 * The JSON schema (Home Assistant's `schema_json.py`): one JSON state topic and one JSON
 * command topic for everything.
 */
export function jsonLight({ config }: ComponentInput): EntityParts | Error {
  if (!config.command_topic) return new Error('light without command_topic');
  const commandTopic = config.command_topic;
  const scale = config.brightness_scale ?? HUB_SCALE;
  const inKelvin = config.color_temp_kelvin === true;
  const modes = config.supported_color_modes ?? (config.brightness ? ['brightness'] : []);
  const features: LightFeatures = {
    dimmable: modes.some((m) => DIMMABLE_MODES.has(m)),
    modes,
    effects: config.effect === true ? (config.effect_list ?? []) : null,
    kelvin: kelvinRange(config),
  };
  const qos = config.qos ?? 0;
  const send = (body: object): OutgoingMessage[] => [{ topic: commandTopic, payload: JSON.stringify(body), qos }];
  return {
    capabilities: lightCapabilities(features),
    optimistic: !config.state_topic || config.optimistic === true,
    stateTopics: config.state_topic ? [config.state_topic] : [],
    commandTopics: [commandTopic],
    decode: (_topic, payload) => {
      const json = payload.json();
      return isObject(json) ? decodeState(json, features, scale, inKelvin) : new Error('light state is not a JSON object');
    },
    encode: (command) => {
      const intent = intentOf(command);
      if (!intent) return [];
      if (intent.off) return send({ state: 'OFF' });
      const body: Record<string, unknown> = { state: 'ON' };
      let brightness = intent.brightness;
      const converted = intent.color && colorForModes(intent.color, modes, features.kelvin);
      if (converted) {
        // Without `brightness: true` Home Assistant folds the brightness into the channels
        // and leaves the `brightness` key out.
        const fold = RGB_MODES.has(converted.mode) && config.brightness !== true;
        body.color = fold ? scaleChannels(converted.color, brightness ?? HUB_SCALE) : converted.color;
        if (fold) brightness = undefined;
      }
      if (brightness !== undefined && features.dimmable) body.brightness = toDeviceBrightness(brightness, scale);
      if (intent.colorTemp !== undefined) body.color_temp = deviceColorTemp(intent.colorTemp, inKelvin);
      if (intent.effect !== undefined) body.effect = intent.effect;
      return send(body);
    },
  };
}

function scaleChannels<T extends object>(color: T, brightness: number): T {
  return Object.fromEntries(Object.entries(color).map(([k, v]) => [k, pyRound(((v as number) / HUB_SCALE) * brightness)])) as T;
}

/**
 * A JSON state. A field that is null or missing says nothing about the others: Zigbee2MQTT
 * sends `"state": null` with a valid colour. The colour is read by `color_mode` when given,
 * else from whichever coordinates are there (ESPHome sends an empty `color` outside colour modes).
 */
function decodeState(json: Record<string, unknown>, features: LightFeatures, scale: number, inKelvin: boolean): DeviceState {
  const state: Record<string, DeviceState[string]> = {};
  if (json.state === 'ON' || json.state === 'OFF') state.on = json.state === 'ON';
  else if (json.state === null) state.on = null;
  if (features.dimmable && typeof json.brightness === 'number') {
    const brightness = fromDeviceBrightness(json.brightness, scale);
    if (brightness !== undefined) state.brightness = brightness;
  }
  const mode = typeof json.color_mode === 'string' ? json.color_mode : undefined;
  if (mode) state.colorMode = mode;
  if (typeof json.color_temp === 'number' && json.color_temp > 0 && (mode === undefined || mode === 'color_temp')) {
    state.colorTemp = inKelvin ? kelvinToMired(json.color_temp) : json.color_temp;
  }
  // In colour temperature mode a light may still say which RGB that white is (the simulated lights do).
  const color = colorOf(json.color, mode === 'color_temp' ? undefined : mode, features.kelvin);
  if (color) state.color = color;
  if (features.effects && (typeof json.effect === 'string' || json.effect === null)) state.effect = json.effect;
  return state;
}

type Channels = Record<string, number | undefined>;
/** Colour readers by mode; each returns undefined when its channels are not all there. */
const readColor: Record<string, (c: Channels, kelvin: { min: number; max: number }) => Rgb | undefined> = {
  rgb: ({ r, g, b }) => (r !== undefined && g !== undefined && b !== undefined ? { r, g, b } : undefined),
  rgbw: ({ r, g, b, w }) => (r !== undefined && g !== undefined && b !== undefined && w !== undefined ? rgbwToRgb({ r, g, b, w }) : undefined),
  rgbww: ({ r, g, b, c, w }, k) =>
    r !== undefined && g !== undefined && b !== undefined && c !== undefined && w !== undefined ? rgbwwToRgb({ r, g, b, c, w }, k.min, k.max) : undefined,
  hs: ({ h, s }) => (h !== undefined && s !== undefined ? hsToRgb(h, s) : undefined),
  xy: ({ x, y }) => (x !== undefined && y !== undefined ? xyToRgb(x, y) : undefined),
};

function colorOf(raw: unknown, mode: string | undefined, kelvin: { min: number; max: number }): Rgb | undefined {
  if (!isObject(raw)) return undefined;
  const channels: Channels = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'number' ? v : undefined]));
  if (mode !== undefined) return Object.hasOwn(readColor, mode) ? readColor[mode]!(channels, kelvin) : undefined;
  for (const read of [readColor.rgb!, readColor.hs!, readColor.xy!]) {
    const color = read(channels, kelvin);
    if (color) return color;
  }
  return undefined;
}
