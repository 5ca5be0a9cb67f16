import type { Rgb, StateValue } from '../../protocol/device.js';
import { hsToRgb, rgbToHs, rgbToXy, xyToRgb } from '../color.js';

/**
 * Homie property values ("Payloads" in the convention) read into hub values and written back.
 * A reading is a value, undefined when the retained value was cleared (an empty MQTT payload),
 * or an Error saying why the payload breaks the convention.
 */
export type Reading = StateValue | undefined | Error;
export type Reader = (text: string) => Reading;

/** Homie 5 "Empty string values": an empty MQTT payload deletes, so an empty string is one 0x00 byte. */
export const EMPTY_V5 = '\u0000';

// "Integer": whole numbers and "-" only. "Float": digits, "-", "e"/"E" and one ".".
const INTEGER = /^-?\d+$/;
const FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** "Booleans must be converted to the string literals true or false ... case sensitive". */
export const readBoolean: Reader = (text) => {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text === '' ? undefined : new Error(`homie boolean ${JSON.stringify(text)} is neither true nor false (case-sensitive)`);
};

/** Values outside `$format`'s range are still reported as they are: the device knows best. */
export const readNumber =
  (datatype: 'integer' | 'float', map: (n: number) => number = (n) => n): Reader =>
  (text) => {
    if (text === '') return undefined;
    if (!(datatype === 'integer' ? INTEGER : FLOAT).test(text)) return new Error(`homie ${datatype} ${JSON.stringify(text)} is not a valid ${datatype}`);
    return map(Number(text));
  };

/** Strings, datetimes, durations and JSON are shown as sent; Homie 4 allows an empty string, 5 spells it 0x00. */
export const readText =
  (v5: boolean): Reader =>
  (text) => {
    if (v5) return text === '' ? undefined : text === EMPTY_V5 ? '' : text;
    return text;
  };

/** "Enum payloads must be one of the values specified in the format"; Homie 4 trims them, 5 does not. */
export const readEnum =
  (values: readonly string[] | undefined, v5: boolean): Reader =>
  (text) => {
    if (text === '') return undefined;
    const value = v5 ? text : text.trim();
    if (values && !values.includes(value)) return new Error(`homie enum value ${JSON.stringify(value)} is not one of ${values.join(', ')}`);
    return value;
  };

export const enumValues = (format: string | undefined) => (format ? format.split(',').filter((v) => v !== '') : undefined);

/** `$format` of a number: `min:max` in Homie 4, `[min]:[max][:step]` in 5. */
export interface Range {
  min?: number;
  max?: number;
  step?: number;
}

export function rangeOf(format: string | undefined): Range | undefined {
  const parts = format?.split(':') ?? [];
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [min, max, step] = parts.map((p) => (p === '' ? undefined : FLOAT.test(p) ? Number(p) : Number.NaN));
  if ([min, max, step].some((n) => Number.isNaN(n)) || (step !== undefined && step <= 0)) return undefined;
  return { min, max, step };
}

const clamp = (n: number, min: number, max: number) => Math.min(Math.max(n, min), max);
const HUB_SCALE = 255;

/**
 * A level property (e.g. `0:100`) as hub brightness (0-255) and back. The hub's state must stay
 * within 0-255, so a reading outside the range is clamped; a command is snapped to the step.
 */
export function levelScale({ min, max, step }: Required<Pick<Range, 'min' | 'max'>> & Range, integer: boolean) {
  return {
    toHub: (n: number) => Math.round(clamp(((n - min) * HUB_SCALE) / (max - min), 0, HUB_SCALE)),
    toDevice: (level: number) => {
      let n = min + (clamp(level, 0, HUB_SCALE) * (max - min)) / HUB_SCALE;
      if (step) n = clamp(min + Math.round((n - min) / step) * step, min, max);
      return String(integer ? Math.round(n) : Number(n.toFixed(4)));
    },
  };
}

export type ColorFormat = 'rgb' | 'hsv' | 'xyz';
const COLOR_FORMATS: readonly ColorFormat[] = ['rgb', 'hsv', 'xyz'];
const isColorFormat = (f: string | undefined): f is ColorFormat => COLOR_FORMATS.includes(f as ColorFormat);

/** Homie 4: `rgb` or `hsv`. Homie 5: those supported, most preferred first (`rgb,hsv`), xyz too. */
export function colorFormatsOf(format: string | undefined, v5: boolean): ColorFormat[] | Error {
  const list = (format ?? '').split(',').map((f) => f.trim());
  const valid = v5 ? list.every(isColorFormat) : list.length === 1 && (list[0] === 'rgb' || list[0] === 'hsv');
  return valid ? (list as ColorFormat[]) : new Error(`colour $format ${JSON.stringify(format ?? '')} is not ${v5 ? 'a list of rgb, hsv and xyz' : 'rgb or hsv'}`);
}

const channel = (n: number) => Math.round(clamp(n, 0, HUB_SCALE));
const fromColor: Record<ColorFormat, (n: number[]) => Rgb> = {
  rgb: ([r, g, b]) => ({ r: channel(r!), g: channel(g!), b: channel(b!) }),
  // "rgb and hsv encode both colour and brightness": v scales the channels.
  hsv: ([h, s, v]) => {
    const c = hsToRgb(h!, s!);
    const k = clamp(v!, 0, 100) / 100;
    return { r: channel(c.r * k), g: channel(c.g * k), b: channel(c.b * k) };
  },
  xyz: ([x, y]) => xyToRgb(x!, y!),
};
const toColor: Record<ColorFormat, (c: Rgb) => string> = {
  rgb: (c) => `${channel(c.r)},${channel(c.g)},${channel(c.b)}`,
  hsv: (c) => {
    const { h, s } = rgbToHs(c);
    return `${Math.round(h)},${Math.round(s)},${Math.round((Math.max(c.r, c.g, c.b) * 100) / HUB_SCALE)}`;
  },
  xyz: (c) => {
    const { x, y } = rgbToXy(c);
    return `${x},${y}`;
  },
};

/** Homie 4 sends bare numbers in its one format (`255,0,0`); Homie 5 names the format first (`rgb,255,0,0`). */
export const readColor =
  (v4Format: ColorFormat | undefined): Reader =>
  (text) => {
    if (text === '') return undefined;
    const parts = text.split(',');
    const format = v4Format ?? parts.shift();
    const numbers = parts.map((p) => (FLOAT.test(p) ? Number(p) : Number.NaN));
    if (!isColorFormat(format) || numbers.length !== (format === 'xyz' ? 2 : 3) || numbers.some(Number.isNaN)) {
      return new Error(`homie colour ${JSON.stringify(text)} is not ${v4Format ? `three numbers (${v4Format})` : 'rgb,r,g,b or hsv,h,s,v or xyz,x,y'}`);
    }
    return fromColor[format](numbers);
  };

export const writeColor = (format: ColorFormat, v5: boolean) => (c: Rgb) => (v5 ? `${format},${toColor[format](c)}` : toColor[format](c));
