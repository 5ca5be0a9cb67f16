import type { Capability, DeviceCommand, Rgb } from '../../protocol/device.js';
import { pyRound, rgbToHs, rgbToRgbw, rgbToRgbww, rgbToXy, type Rgbw, type Rgbww } from '../color.js';
import type { DiscoveryConfig } from './config.js';

/**
 * What the three Home Assistant light schemas share. Each schema (light-json.ts,
 * light-default.ts, light-template.ts) follows the matching module of Home Assistant's
 * `components/mqtt/light/`; the hub always speaks 0-255 brightness, mireds and RGB.
 */
export const HUB_SCALE = 255;
/** Home Assistant's MQTT light defaults: 2,000-6,535 K, which is 153-500 mireds. */
export const DEFAULT_KELVIN = { min: 2000, max: 6535 };

export const kelvinToMired = (kelvin: number) => Math.floor(1_000_000 / kelvin);
export const miredToKelvin = (mired: number) => Math.floor(1_000_000 / mired);

/** The light's colour temperature range in kelvin, from whichever keys it announced. */
export function kelvinRange(config: DiscoveryConfig): { min: number; max: number } {
  return {
    min: config.max_mireds ? miredToKelvin(config.max_mireds) : (config.min_kelvin ?? DEFAULT_KELVIN.min),
    max: config.min_mireds ? miredToKelvin(config.min_mireds) : (config.max_kelvin ?? DEFAULT_KELVIN.max),
  };
}

export const RGB_MODES = new Set(['rgb', 'rgbw', 'rgbww']);
const COLOR_MODES = new Set([...RGB_MODES, 'hs', 'xy']);

/** What a light can do, in the terms of Home Assistant's colour modes. */
export interface LightFeatures {
  dimmable: boolean;
  modes: readonly string[];
  /** Effects by name, null for none; an empty list takes any name (`effect: true` without `effect_list`). */
  effects: readonly string[] | null;
  kelvin: { min: number; max: number };
}

/** Capabilities of a light with these features. */
export function lightCapabilities({ dimmable, modes, effects, kelvin }: LightFeatures): Capability[] {
  const capabilities: Capability[] = [{ type: 'switch', property: 'on', writable: true }];
  if (dimmable) capabilities.push({ type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 });
  if (modes.includes('color_temp')) {
    capabilities.push({ type: 'colorTemp', property: 'colorTemp', writable: true, min: kelvinToMired(kelvin.max), max: kelvinToMired(kelvin.min), unit: 'mired' });
  }
  if (modes.some((m) => COLOR_MODES.has(m))) capabilities.push({ type: 'color', property: 'color', writable: true });
  if (effects) capabilities.push({ type: 'effect', property: 'effect', writable: true, options: [...new Set(effects)] });
  return capabilities;
}

/** A hub command as Home Assistant's `light.turn_on`/`turn_off` sees it. */
export type LightIntent = { off: true } | { off: false; brightness?: number; colorTemp?: number; color?: Rgb; effect?: string };

/** Any attribute turns the light on; brightness 0 turns it off, as Home Assistant's light service does. */
export function intentOf(command: DeviceCommand): LightIntent | null {
  const { on, ...attributes } = command;
  if (on === false || attributes.brightness === 0) return { off: true };
  if (on === undefined && Object.keys(attributes).length === 0) return null;
  return { off: false, ...attributes };
}

/** The hub's RGB in the colour mode a light takes, converted as Home Assistant's light service converts it. */
export type ModeColor =
  | { mode: 'rgb'; color: Rgb }
  | { mode: 'rgbw'; color: Rgbw }
  | { mode: 'rgbww'; color: Rgbww }
  | { mode: 'hs'; color: { h: number; s: number } }
  | { mode: 'xy'; color: { x: number; y: number } };

/** RGB when the light takes it, then RGBW, RGBWW, hue/saturation, xy (Home Assistant's order). */
export function colorForModes(rgb: Rgb, modes: readonly string[], kelvin: { min: number; max: number }): ModeColor | null {
  if (modes.includes('rgb')) return { mode: 'rgb', color: rgb };
  if (modes.includes('rgbw')) return { mode: 'rgbw', color: rgbToRgbw(rgb) };
  if (modes.includes('rgbww')) return { mode: 'rgbww', color: rgbToRgbww(rgb, kelvin.min, kelvin.max) };
  if (modes.includes('hs')) return { mode: 'hs', color: rgbToHs(rgb) };
  if (modes.includes('xy')) return { mode: 'xy', color: rgbToXy(rgb) };
  return null;
}

/** Hub brightness on the device's scale; a light that is on never gets 0, which many read as off. */
export const toDeviceBrightness = (brightness: number, scale: number) => Math.max(Math.min(pyRound((brightness * scale) / HUB_SCALE), scale), 1);

/** A device's brightness on the hub's scale, clamped to 1-255; undefined for 0, which Home Assistant ignores. */
export function fromDeviceBrightness(value: number, scale: number): number | undefined {
  if (value === 0) return undefined;
  return Math.min(Math.max(pyRound((value * HUB_SCALE) / scale), 1), HUB_SCALE);
}

/** A colour temperature command in mireds, as the device takes it (mireds or kelvin), through Home Assistant's kelvin. */
export function deviceColorTemp(mired: number, inKelvin: boolean): number {
  const kelvin = miredToKelvin(mired);
  return inKelvin ? kelvin : kelvinToMired(kelvin);
}
