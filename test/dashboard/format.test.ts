import { describe, expect, it } from 'vitest';
import {
  brightnessPercent,
  formatBinary,
  formatKelvin,
  formatReading,
  formatRelative,
  hexToRgb,
  kelvinFromMireds,
  lightColor,
  rgbToHex,
  byReadingOrder,
} from '../../dashboard/src/format.js';

describe('dashboard formatting', () => {
  it.each([
    [21.44, { unit: '°C', deviceClass: 'temperature' }, '21.4°C'],
    [45, { unit: '%', deviceClass: 'humidity' }, '45.0%'],
    [1204.46, { unit: 'W', deviceClass: 'power' }, '1,204.5 W'],
    [5.891, { unit: 'kWh', deviceClass: 'energy' }, '5.89 kWh'],
    [97, { unit: '%', deviceClass: 'battery' }, '97%'],
    [3.14159, {}, '3.14'],
    [null, { unit: '°C', deviceClass: 'temperature' }, '—'],
  ])('reads %s with %o as %s', (value, capability, text) => {
    expect(formatReading(value, capability, 'en')).toBe(text);
  });

  it.each([
    [true, 'motion', 'Motion'],
    [false, 'motion', 'Clear'],
    [true, 'door', 'Open'],
    [false, 'window', 'Closed'],
    [true, undefined, 'On'],
    [false, 'something-new', 'Off'],
    [null, 'door', '—'],
  ])('words binary %s of class %s as %s', (value, deviceClass, text) => {
    expect(formatBinary(value, { deviceClass })).toBe(text);
  });

  it.each([
    [0, 0],
    [128, 50],
    [255, 100],
  ])('shows brightness %i as %i%%', (value, percent) => {
    expect(brightnessPercent(value)).toBe(percent);
  });

  it('turns mireds into kelvin, rounded as lamps are labelled', () => {
    expect(kelvinFromMireds(370)).toBe(2700);
    expect(kelvinFromMireds(153)).toBe(6540);
    expect(formatKelvin(250, 'en')).toBe('4,000 K');
  });

  it.each([
    [null, 'never'],
    [-2_000, 'just now'],
    [-12_000, '12 s ago'],
    [-5 * 60_000, '5 min ago'],
    [-3 * 3_600_000, '3 h ago'],
    [-2 * 86_400_000, '2 d ago'],
  ])('says a report at now%s ms was %s', (offset, text) => {
    const now = 1_800_000_000_000;
    expect(formatRelative(offset === null ? null : now + offset, now)).toBe(text);
  });

  it('converts colours both ways and knows what a light shows', () => {
    expect(rgbToHex({ r: 255, g: 128, b: 0 })).toBe('#ff8000');
    expect(hexToRgb('#FF8000')).toStrictEqual({ r: 255, g: 128, b: 0 });
    expect(hexToRgb('red')).toBeNull();
    expect(lightColor({ on: false, color: { r: 1, g: 2, b: 3 } })).toBeNull();
    expect(lightColor({ on: true, color: { r: 255, g: 0, b: 0 }, colorMode: 'rgb' })).toBe('#ff0000');
    expect(lightColor({ on: true, colorTemp: 153, color: { r: 255, g: 0, b: 0 }, colorMode: 'color_temp' })).toMatch(/^#f/);
  });

  it('orders readings the same whatever order the device announced them in', () => {
    const reading = (property: string, deviceClass?: string) => ({ type: 'sensor' as const, property, writable: false as const, label: property, ...(deviceClass ? { deviceClass } : {}) });
    const announced = [reading('humidity', 'humidity'), reading('linkquality'), reading('temperature', 'temperature'), reading('energy', 'energy'), reading('power', 'power')];
    const expected = ['temperature', 'humidity', 'power', 'energy', 'linkquality'];
    expect([...announced].sort(byReadingOrder).map((c) => c.property)).toStrictEqual(expected);
    expect([...announced].reverse().sort(byReadingOrder).map((c) => c.property)).toStrictEqual(expected);
  });
});
