import type { Rgb } from '../protocol/device.js';

/**
 * Colour conversions for lights that speak hue/saturation (0-360 and 0-100), CIE xy or RGB
 * with white channels while the hub speaks RGB. They give the numbers Home Assistant's
 * `homeassistant/util/color.py` gives (Philips Hue's wide-gamut formulas for xy, Python's
 * colorsys for hs, hs and xy rounded to 3 decimals), so a light is sent what Home Assistant
 * would send it. Brightness is a separate capability, so colours are converted at full value.
 */

/** Python's round(): halves go to the even neighbour. */
export function pyRound(n: number, digits = 0): number {
  const f = 10 ** digits;
  const scaled = n * f;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const whole = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return whole / f;
}

/** Python's float `%`: the result takes the divisor's sign. */
const pyMod = (a: number, b: number) => ((a % b) + b) % b;

export function rgbToHs({ r, g, b }: Rgb): { h: number; s: number } {
  const [fr, fg, fb] = [r / 255, g / 255, b / 255];
  const max = Math.max(fr, fg, fb);
  const min = Math.min(fr, fg, fb);
  if (max === min) return { h: 0, s: 0 };
  const range = max - min;
  const [rc, gc, bc] = [(max - fr) / range, (max - fg) / range, (max - fb) / range];
  const sixths = fr === max ? bc - gc : fg === max ? 2 + rc - bc : 4 + gc - rc;
  return { h: pyRound(pyMod(sixths / 6, 1) * 360, 3), s: pyRound((range / max) * 100, 3) };
}

/** Hue 0-360, saturation and value 0-100 (full value unless given); channels truncated as Home Assistant does. */
export function hsToRgb(h: number, s: number, value = 100): Rgb {
  const sat = Math.min(Math.max(s, 0), 100) / 100;
  const v = Math.min(Math.max(value, 0), 100) / 100;
  const hue = pyMod(h / 360, 1);
  if (sat === 0) return { r: Math.trunc(v * 255), g: Math.trunc(v * 255), b: Math.trunc(v * 255) };
  const i = Math.floor(hue * 6);
  const f = hue * 6 - i;
  const [p, q, t] = [v * (1 - sat), v * (1 - sat * f), v * (1 - sat * (1 - f))];
  const sector: [number, number, number][] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  const [fr, fg, fb] = sector[i % 6]!;
  return { r: Math.trunc(fr * 255), g: Math.trunc(fg * 255), b: Math.trunc(fb * 255) };
}

const toLinear = (c: number) => {
  const v = c / 255;
  return v > 0.04045 ? ((v + 0.055) / 1.055) ** 2.4 : v / 12.92;
};
const fromLinear = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** sRGB to CIE 1931 xy with the Hue wide-gamut matrix, as Home Assistant sends xy lights. */
export function rgbToXy({ r, g, b }: Rgb): { x: number; y: number } {
  if (r + g + b === 0) return { x: 0, y: 0 };
  const [lr, lg, lb] = [toLinear(r), toLinear(g), toLinear(b)];
  const X = lr * 0.664511 + lg * 0.154324 + lb * 0.162028;
  const Y = lr * 0.283881 + lg * 0.668433 + lb * 0.047685;
  const Z = lr * 0.000088 + lg * 0.07231 + lb * 0.986039;
  const sum = X + Y + Z;
  return { x: pyRound(X / sum, 3), y: pyRound(Y / sum, 3) };
}

/** CIE xy at full brightness to RGB, the brightest channel at 255 at most; channels truncated. */
export function xyToRgb(x: number, y: number): Rgb {
  const vy = y === 0 ? 1e-11 : y;
  const Y = 1;
  const X = (Y / vy) * x;
  const Z = (Y / vy) * (1 - x - vy);
  const channels = [
    X * 1.656492 - Y * 0.354851 - Z * 0.255038,
    -X * 0.707196 + Y * 1.655397 + Z * 0.036152,
    X * 0.051713 - Y * 0.121364 + Z * 1.01153,
  ].map((v) => Math.max(0, fromLinear(v)));
  const peak = Math.max(...channels);
  const scaled = peak > 1 ? channels.map((v) => v / peak) : channels;
  const [cr, cg, cb] = scaled.map((v) => Math.trunc(v * 255)) as [number, number, number];
  return { r: cr, g: cg, b: cb };
}

/** Scales `output` so its largest value equals the largest of `input`. */
function matchMaxScale(input: readonly number[], output: readonly number[]): number[] {
  const maxOut = Math.max(...output);
  const factor = maxOut === 0 ? 0 : Math.max(...input) / maxOut;
  return output.map((v) => pyRound(v * factor));
}

export interface Rgbw extends Rgb {
  w: number;
}
export interface Rgbww extends Rgb {
  c: number;
  w: number;
}

/** The white channel takes what the three colours share, and the result is scaled back to full range. */
export function rgbToRgbw({ r, g, b }: Rgb): Rgbw {
  const w = Math.min(r, g, b);
  const [nr, ng, nb, nw] = matchMaxScale([r, g, b], [r - w, g - w, b - w, w]) as [number, number, number, number];
  return { r: nr, g: ng, b: nb, w: nw };
}

export function rgbwToRgb({ r, g, b, w }: Rgbw): Rgb {
  const [nr, ng, nb] = matchMaxScale([r, g, b, w], [r + w, g + w, b + w]) as [number, number, number];
  return { r: nr, g: ng, b: nb };
}

const kelvinToMired = (kelvin: number) => Math.floor(1_000_000 / kelvin);
const miredToKelvin = (mired: number) => Math.floor(1_000_000 / mired);

/** The RGB of white light at a colour temperature (Tanner Helland's approximation, 1,000-40,000 K). */
function colorTemperatureToRgb(kelvin: number): [number, number, number] {
  const t = Math.min(Math.max(kelvin, 1000), 40000) / 100;
  const clamp = (v: number) => Math.min(Math.max(v, 0), 255);
  const red = t <= 66 ? 255 : clamp(329.698727446 * (t - 60) ** -0.1332047592);
  const green = clamp(t <= 66 ? 99.4708025861 * Math.log(t) - 161.1195681661 : 288.1221695283 * (t - 60) ** -0.0755148492);
  const blue = t >= 66 ? 255 : t <= 19 ? 0 : clamp(138.5177312231 * Math.log(t - 10) - 305.0447927307);
  return [red, green, blue];
}

/** Cold and warm white each take the part of the colour their midpoint white covers. */
export function rgbToRgbww({ r, g, b }: Rgb, minKelvin: number, maxKelvin: number): Rgbww {
  const maxMireds = kelvinToMired(minKelvin);
  const minMireds = kelvinToMired(maxKelvin);
  const [wr, wg, wb] = colorTemperatureToRgb(miredToKelvin(minMireds + (maxMireds - minMireds) / 2));
  const level = Math.min(wr ? r / wr : 0, wg ? g / wg : 0, wb ? b / wb : 0);
  const white = pyRound(level * 255);
  const [nr, ng, nb, nc, nw] = matchMaxScale([r, g, b], [r - wr * level, g - wg * level, b - wb * level, white, white]) as number[];
  return { r: nr!, g: ng!, b: nb!, c: nc!, w: nw! };
}

export function rgbwwToRgb({ r, g, b, c, w }: Rgbww, minKelvin: number, maxKelvin: number): Rgb {
  const maxMireds = kelvinToMired(minKelvin);
  const minMireds = kelvinToMired(maxKelvin);
  const ratio = c + w === 0 ? 0.5 : w / (c + w);
  const mired = minMireds + ratio * (maxMireds - minMireds);
  const [wr, wg, wb] = colorTemperatureToRgb(mired ? miredToKelvin(mired) : 0);
  const level = Math.max(c, w) / 255;
  const [nr, ng, nb] = matchMaxScale([r, g, b, c, w], [r + wr * level, g + wg * level, b + wb * level]) as number[];
  return { r: nr!, g: ng!, b: nb! };
}

/** A number as Python prints a float (`100.0`, `30.118`): how Home Assistant writes hs and xy into text payloads. */
export const pyFloat = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));
