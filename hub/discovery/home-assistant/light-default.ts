import type { DeviceCommand, DeviceState, Rgb } from '../../protocol/device.js';
import { hsToRgb, pyFloat, rgbwToRgb, rgbwwToRgb, xyToRgb } from '../color.js';
import type { OutgoingMessage, Payload } from '../entity.js';
import { compileTemplate, type Template } from '../template/index.js';
import type { DiscoveryConfig } from './config.js';
import {
  HUB_SCALE, colorForModes, deviceColorTemp, fromDeviceBrightness, intentOf, kelvinRange, lightCapabilities, toDeviceBrightness,
  type LightFeatures, type ModeColor,
} from './light.js';
import type { ComponentInput, EntityParts } from './normalise.js';

type Slice = Record<string, DeviceState[string]>;
type Channel = 'rgb' | 'rgbw' | 'rgbww' | 'hs' | 'xy' | 'color_temp' | 'effect';

/** Variables Home Assistant gives each command template besides `value`. */
const COMMAND_VARIABLES: Record<Channel | 'brightness', string[]> = {
  rgb: ['red', 'green', 'blue'], rgbw: ['red', 'green', 'blue', 'white'], rgbww: ['red', 'green', 'blue', 'cold_white', 'warm_white'],
  hs: ['hue', 'sat'], xy: ['x', 'y'], color_temp: [], effect: [], brightness: [],
};
const COLOR_CHANNELS = ['rgb', 'rgbw', 'rgbww', 'hs', 'xy'] as const;

/**
 * The default schema (Home Assistant's `schema_basic.py`): a topic pair per attribute, plain
 * text payloads, optional value and command templates, and `on_command_type` deciding
 * whether the ON payload goes before the attributes, after them, or not at all.
 */
export function defaultLight({ config }: ComponentInput): EntityParts | Error {
  if (!config.command_topic) return new Error('light without command_topic');
  const templates = compileTemplates(config);
  if (templates instanceof Error) return templates;
  const has = (channel: Channel) => config[`${channel}_command_topic`] !== undefined;
  const modes = [...(has('color_temp') ? ['color_temp'] : []), ...COLOR_CHANNELS.filter(has)];
  const features: LightFeatures = {
    dimmable: !!config.brightness_command_topic || COLOR_CHANNELS.slice(0, 3).some(has),
    modes,
    effects: has('effect') && config.effect_list ? config.effect_list : null,
    kelvin: kelvinRange(config),
  };
  const readers = stateReaders(config, templates, features);
  return {
    capabilities: lightCapabilities(features),
    optimistic: !config.state_topic || config.optimistic === true,
    stateTopics: [...new Set(readers.map((r) => r.topic))],
    commandTopics: [config.command_topic, config.brightness_command_topic, ...[...COLOR_CHANNELS, 'color_temp', 'effect'].map((c) => config[`${c as Channel}_command_topic`])].filter(
      (t): t is string => !!t,
    ),
    decode: (topic, payload) => {
      const state: Slice = {};
      for (const reader of readers) {
        if (reader.topic !== topic) continue;
        const slice = reader.read(payload);
        if (slice instanceof Error) return slice;
        Object.assign(state, slice);
      }
      return state;
    },
    encode: (command, state = {}) => encodeCommand(command, state, config, templates, features),
  };
}

type Templates = Record<string, Template>;
const VALUE_TEMPLATES = ['state', 'brightness', 'color_mode', ...COLOR_CHANNELS, 'color_temp', 'effect'].map((c) => `${c}_value_template`);

function compileTemplates(config: DiscoveryConfig): Templates | Error {
  const out: Templates = {};
  const sources: [string, string[]][] = [
    ...VALUE_TEMPLATES.map((k): [string, string[]] => [k, []]),
    ...Object.entries(COMMAND_VARIABLES).map(([c, vars]): [string, string[]] => [`${c}_command_template`, vars]),
  ];
  for (const [key, variables] of sources) {
    const template = compileTemplate(config[key as keyof DiscoveryConfig] as string | undefined, variables);
    if (template instanceof Error) return template;
    out[key] = template;
  }
  return out;
}

interface Reader {
  topic: string;
  read(payload: Payload): Slice | Error;
}

/** One reader per state topic the light announced; several may share a topic. */
function stateReaders(config: DiscoveryConfig, t: Templates, features: LightFeatures): Reader[] {
  const on = String(config.payload_on ?? 'ON');
  const off = String(config.payload_off ?? 'OFF');
  const scale = config.brightness_scale ?? HUB_SCALE;
  const ownBrightness = config.brightness_state_topic !== undefined;
  const text = (key: string) => (p: Payload) => {
    const v = t[key]!(p.text, () => p.json());
    return v === undefined || v === null ? '' : String(v);
  };
  const readers: [string | undefined, string, (v: string) => Slice | Error][] = [
    [config.state_topic, 'state_value_template', (v) => (v === on ? { on: true } : v === off ? { on: false } : v === 'None' ? { on: null } : new Error(`light state ${JSON.stringify(v)} is neither ${on} nor ${off}`))],
    [config.brightness_state_topic, 'brightness_value_template', (v) => brightnessOf(v, scale)],
    [config.color_temp_state_topic, 'color_temp_value_template', (v) => numbers(v, 1, ([m]) => ({ colorTemp: Math.trunc(m!) }))],
    [config.effect_state_topic, 'effect_value_template', (v) => ({ effect: v })],
    [config.color_mode_state_topic, 'color_mode_value_template', (v) => ({ colorMode: v })],
    [config.hs_state_topic, 'hs_value_template', (v) => numbers(v, 2, ([h, s]) => ({ color: hsToRgb(h!, s!) }))],
    [config.xy_state_topic, 'xy_value_template', (v) => numbers(v, 2, ([x, y]) => ({ color: xyToRgb(x!, y!) }))],
    [config.rgb_state_topic, 'rgb_value_template', (v) => numbers(v, 3, (c) => channelsOf(c, (n) => ({ r: n[0]!, g: n[1]!, b: n[2]! }), ownBrightness))],
    [config.rgbw_state_topic, 'rgbw_value_template', (v) => numbers(v, 4, (c) => channelsOf(c, ([r, g, b, w]) => rgbwToRgb({ r: r!, g: g!, b: b!, w: w! }), ownBrightness))],
    [config.rgbww_state_topic, 'rgbww_value_template', (v) => numbers(v, 5, (c) => channelsOf(c, ([r, g, b, cw, w]) => rgbwwToRgb({ r: r!, g: g!, b: b!, c: cw!, w: w! }, features.kelvin.min, features.kelvin.max), ownBrightness))],
  ];
  return readers.flatMap(([topic, key, read]) => {
    if (!topic) return [];
    const render = text(key);
    // An empty payload or template result says nothing, as in Home Assistant.
    return [{ topic, read: (p: Payload) => (render(p) === '' ? {} : read(render(p))) }];
  });
}

function brightnessOf(v: string, scale: number): Slice | Error {
  return numbers(v, 1, ([n]): Slice => {
    const brightness = fromDeviceBrightness(n!, scale);
    return brightness === undefined ? {} : { brightness };
  });
}

/** Comma-separated numbers, as the default schema's colour topics carry them. */
function numbers(text: string, count: number, use: (n: number[]) => Slice): Slice | Error {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length < count || parts.slice(0, count).some((n) => !Number.isFinite(n))) return new Error(`${JSON.stringify(text)} is not ${count} number${count > 1 ? 's' : ''}`);
  return use(parts.slice(0, count));
}

/** Channels carry brightness too when the light has no brightness topic: the brightest channel is it. */
function channelsOf(channels: number[], toRgb: (c: number[]) => Rgb, ownBrightness: boolean): Slice {
  if (ownBrightness) return { color: toRgb(channels) };
  const brightness = Math.max(...Object.values(toRgb(channels)));
  if (brightness === 0) return {};
  return { brightness, color: toRgb(channels.map((c) => Math.min(Math.round((c / brightness) * 255), 255))) };
}

function encodeCommand(command: DeviceCommand, state: DeviceState, config: DiscoveryConfig, t: Templates, features: LightFeatures): OutgoingMessage[] {
  const qos = config.qos ?? 0;
  const out: OutgoingMessage[] = [];
  const publish = (topic: string | undefined, payload: unknown) => topic && out.push({ topic, payload: String(payload), qos });
  const intent = intentOf(command);
  if (!intent) return [];
  if (intent.off) return [{ topic: config.command_topic!, payload: String(config.payload_off ?? 'OFF'), qos }];
  const onPayload = String(config.payload_on ?? 'ON');
  const onType = config.on_command_type ?? 'last';
  let brightness = intent.brightness;
  if (onType === 'first') publish(config.command_topic, onPayload);
  else if (onType === 'brightness' && brightness === undefined) brightness = typeof state.brightness === 'number' && state.brightness > 0 ? state.brightness : HUB_SCALE;
  const current = typeof state.brightness === 'number' && state.brightness > 0 ? state.brightness : HUB_SCALE;
  // With no brightness topic of its own, the channels carry brightness.
  const channelBrightness = config.brightness_command_topic ? HUB_SCALE : (brightness ?? current);
  const color = intent.color && colorForModes(intent.color, COLOR_CHANNELS.filter((c) => features.modes.includes(c)), features.kelvin);
  if (color) publish(config[`${color.mode}_command_topic`], renderColor(color, channelBrightness, t));
  if (brightness !== undefined && config.brightness_command_topic) {
    publish(config.brightness_command_topic, t.brightness_command_template!(toDeviceBrightness(brightness, config.brightness_scale ?? HUB_SCALE), () => undefined));
  } else if (brightness !== undefined && !color) {
    const channels = lastChannels(state, features);
    if (channels) publish(config[`${channels.mode}_command_topic`], renderColor(channels, brightness, t));
  }
  if (intent.colorTemp !== undefined) publish(config.color_temp_command_topic, t.color_temp_command_template!(deviceColorTemp(intent.colorTemp, false), () => undefined));
  if (intent.effect !== undefined && features.effects?.includes(intent.effect)) {
    publish(config.effect_command_topic, t.effect_command_template!(intent.effect, () => undefined));
  }
  if (onType === 'last') publish(config.command_topic, onPayload);
  return out;
}

const isRgb = (v: unknown): v is Rgb => typeof v === 'object' && v !== null && 'r' in v;

/** The light's last colour in its channel mode, or every channel full when none is known (Home Assistant's default). */
function lastChannels(state: DeviceState, features: LightFeatures): ModeColor | null {
  const mode = (['rgb', 'rgbw', 'rgbww'] as const).find((m) => features.modes.includes(m));
  if (!mode) return null;
  if (isRgb(state.color)) return colorForModes(state.color, [mode], features.kelvin);
  const full = { r: 255, g: 255, b: 255, c: 255, w: 255 };
  return mode === 'rgb' ? { mode, color: { r: 255, g: 255, b: 255 } } : mode === 'rgbw' ? { mode, color: { r: 255, g: 255, b: 255, w: 255 } } : { mode, color: full };
}

/** A colour as its topic takes it: channels scaled by brightness and joined by commas, or hs/xy as Python prints floats. */
function renderColor({ mode, color }: ModeColor, brightness: number, t: Templates): string {
  const template = t[`${mode}_command_template`]!;
  if (mode === 'hs' || mode === 'xy') {
    const [a, b] = mode === 'hs' ? [color.h, color.s] : [color.x, color.y];
    const [pa, pb] = [pyFloat(a), pyFloat(b)];
    return String(template(`${pa},${pb}`, () => undefined, mode === 'hs' ? { hue: pa, sat: pb } : { x: pa, y: pb }));
  }
  const channels = Object.values(color).map((c: number) => Math.trunc((c * brightness) / HUB_SCALE));
  const variables = Object.fromEntries(COMMAND_VARIABLES[mode].map((name, i) => [name, channels[i]]));
  return String(template(channels.join(','), () => undefined, variables));
}
