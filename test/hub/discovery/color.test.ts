import { describe, expect, it } from 'vitest';
import { hsToRgb, rgbToHs, rgbToRgbw, rgbToRgbww, rgbToXy, rgbwToRgb, rgbwwToRgb, xyToRgb } from '../../../hub/discovery/color.js';

// Expected values are Home Assistant's own, from home-assistant/core tests/util/test_color.py
// (test_color_RGB_to_xy, test_color_xy_to_RGB, test_color_RGB_to_hsv, test_color_hsv_to_RGB,
// test_color_rgb_to_rgbw, test_color_rgbw_to_rgb, test_color_rgb_to_rgbww, test_color_rgbww_to_rgb).
const rgb = (r: number, g: number, b: number) => ({ r, g, b });

describe('colour conversions as Home Assistant makes them', () => {
  it.each([
    [rgb(0, 0, 0), { x: 0, y: 0 }],
    [rgb(255, 255, 255), { x: 0.323, y: 0.329 }],
    [rgb(0, 0, 255), { x: 0.136, y: 0.04 }],
    [rgb(0, 255, 0), { x: 0.172, y: 0.747 }],
    [rgb(255, 0, 0), { x: 0.701, y: 0.299 }],
    [rgb(128, 0, 0), { x: 0.701, y: 0.299 }],
    // The case of the issue: Home Assistant sends 0.611, 0.375 for orange.
    [rgb(255, 128, 0), { x: 0.611, y: 0.375 }],
  ])('rgb %o is xy %o (Hue wide gamut)', (from, xy) => {
    expect(rgbToXy(from)).toStrictEqual(xy);
  });

  it.each([
    [0.35, 0.35, rgb(255, 243, 222)],
    [1, 0, rgb(255, 0, 60)],
    [0, 1, rgb(0, 255, 0)],
    [0, 0, rgb(0, 63, 255)],
  ])('xy %f,%f is rgb %o', (x, y, to) => {
    expect(xyToRgb(x, y)).toStrictEqual(to);
  });

  it.each([
    [rgb(0, 0, 0), { h: 0, s: 0 }],
    [rgb(255, 255, 255), { h: 0, s: 0 }],
    [rgb(0, 0, 255), { h: 240, s: 100 }],
    [rgb(0, 255, 0), { h: 120, s: 100 }],
    [rgb(255, 0, 0), { h: 0, s: 100 }],
    // Not rounded to whole or tenths: three decimals, as Home Assistant sends.
    [rgb(255, 128, 0), { h: 30.118, s: 100 }],
  ])('rgb %o is hs %o', (from, hs) => {
    expect(rgbToHs(from)).toStrictEqual(hs);
  });

  it.each([
    [0, 0, rgb(255, 255, 255)],
    [240, 100, rgb(0, 0, 255)],
    [120, 100, rgb(0, 255, 0)],
    [0, 100, rgb(255, 0, 0)],
  ])('hs %f,%f is rgb %o', (h, s, to) => {
    expect(hsToRgb(h, s)).toStrictEqual(to);
  });

  it.each([
    [rgb(0, 0, 0), { r: 0, g: 0, b: 0, w: 0 }],
    [rgb(255, 255, 255), { r: 0, g: 0, b: 0, w: 255 }],
    [rgb(255, 127, 0), { r: 255, g: 127, b: 0, w: 0 }],
    [rgb(255, 127, 127), { r: 255, g: 0, b: 0, w: 253 }],
    [rgb(127, 127, 127), { r: 0, g: 0, b: 0, w: 127 }],
  ])('rgb %o is rgbw %o and back', (from, rgbw) => {
    expect(rgbToRgbw(from)).toStrictEqual(rgbw);
    expect(rgbwToRgb(rgbw)).toStrictEqual(from);
  });

  it.each([
    [rgb(255, 255, 255), 2702, 6493, { r: 0, g: 54, b: 98, c: 255, w: 255 }],
    [rgb(255, 255, 255), 1000, 10000, { r: 255, g: 255, b: 255, c: 0, w: 0 }],
    [rgb(128, 128, 128), 2702, 6493, { r: 0, g: 27, b: 49, c: 128, w: 128 }],
    [rgb(32, 64, 16), 2702, 6493, { r: 9, g: 64, b: 0, c: 38, w: 38 }],
    [rgb(0, 0, 0), 2702, 6493, { r: 0, g: 0, b: 0, c: 0, w: 0 }],
  ])('rgb %o on a %i-%i K light is rgbww %o and back', (from, minK, maxK, rgbww) => {
    expect(rgbToRgbww(from, minK, maxK)).toStrictEqual(rgbww);
    expect(rgbwwToRgb(rgbww, minK, maxK)).toStrictEqual(from);
  });

  it('reads rgbww white channels into the colour', () => {
    expect(rgbwwToRgb({ r: 0, g: 118, b: 241, c: 255, w: 255 }, 2702, 6493)).toStrictEqual(rgb(163, 204, 255));
    expect(rgbwwToRgb({ r: 103, g: 69, b: 0, c: 255, w: 255 }, 2702, 6535)).toStrictEqual(rgb(255, 193, 112));
  });
});
