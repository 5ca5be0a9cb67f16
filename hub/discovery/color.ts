import type { Rgb } from '../protocol/device.js';

/**
 * Colour conversions for lights that speak hue/saturation (Home Assistant `hs`, 0-360 and
 * 0-100) or CIE xy (Zigbee bulbs) while the hub speaks RGB. Brightness is a separate
 * capability, so colours are converted at full value.
 */
export function rgbToHs({ r, g, b }: Rgb): { h: number; s: number } {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  let h = 0;
  if (delta > 0) {
    if (max === r) h = ((g - b) / delta) % 6;
    else if (max === g) h = (b - r) / delta + 2;
    else h = (r - g) / delta + 4;
  }
  return { h: round1((h * 60 + 360) % 360), s: round1(max === 0 ? 0 : (delta / max) * 100) };
}

export function hsToRgb(h: number, s: number): Rgb {
  const sat = Math.min(Math.max(s, 0), 100) / 100;
  const f = (n: number) => {
    const k = (n + ((h % 360) + 360) / 60) % 6;
    return Math.round(255 * (1 - sat * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return { r: f(5), g: f(3), b: f(1) };
}

const toLinear = (c: number) => {
  const v = c / 255;
  return v > 0.04045 ? ((v + 0.055) / 1.055) ** 2.4 : v / 12.92;
};
const fromLinear = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** sRGB (D65) to CIE 1931 xy, the colour space Zigbee lights take. */
export function rgbToXy({ r, g, b }: Rgb): { x: number; y: number } {
  const [lr, lg, lb] = [toLinear(r), toLinear(g), toLinear(b)];
  const X = lr * 0.4124 + lg * 0.3576 + lb * 0.1805;
  const Y = lr * 0.2126 + lg * 0.7152 + lb * 0.0722;
  const Z = lr * 0.0193 + lg * 0.1192 + lb * 0.9505;
  const sum = X + Y + Z;
  // Black has no chromaticity; the white point stands in for it.
  return sum === 0 ? { x: 0.3127, y: 0.329 } : { x: round4(X / sum), y: round4(Y / sum) };
}

export function xyToRgb(x: number, y: number): Rgb {
  if (y <= 0) return { r: 255, g: 255, b: 255 };
  const Y = 1;
  const X = (x / y) * Y;
  const Z = ((1 - x - y) / y) * Y;
  const linear = [
    X * 3.2406 - Y * 1.5372 - Z * 0.4986,
    -X * 0.9689 + Y * 1.8758 + Z * 0.0415,
    X * 0.0557 - Y * 0.204 + Z * 1.057,
  ].map((v) => Math.max(v, 0));
  // Scale so the brightest channel is full: brightness is reported on its own.
  const peak = Math.max(...linear.map(fromLinear), 1e-9);
  const [r, g, b] = linear.map((v) => Math.round(Math.min(1, fromLinear(v) / peak) * 255)) as [number, number, number];
  return { r, g, b };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
