import { describe, expect, it } from 'vitest';
import { hsToRgb, rgbToHs, rgbToXy, xyToRgb } from '../../../hub/discovery/color.js';

const colours = [
  { r: 255, g: 0, b: 0 },
  { r: 0, g: 255, b: 0 },
  { r: 0, g: 0, b: 255 },
  { r: 255, g: 180, b: 107 },
  { r: 255, g: 255, b: 255 },
  { r: 12, g: 200, b: 255 },
];

describe('colour conversions', () => {
  it.each(colours)('round-trips %o through hue/saturation and xy closely enough to confirm a command', (rgb) => {
    const hs = rgbToHs(rgb);
    const xy = rgbToXy(rgb);
    for (const back of [hsToRgb(hs.h, hs.s), xyToRgb(xy.x, xy.y)]) {
      for (const k of ['r', 'g', 'b'] as const) expect(Math.abs(back[k] - rgb[k])).toBeLessThanOrEqual(3);
    }
  });

  it('gives the values Home Assistant documents for pure red', () => {
    expect(rgbToHs({ r: 255, g: 0, b: 0 })).toStrictEqual({ h: 0, s: 100 });
    expect(rgbToXy({ r: 255, g: 0, b: 0 })).toStrictEqual({ x: 0.6401, y: 0.33 });
  });
});
