import { describe, expect, it } from 'vitest';
import { kinds, kindNames, modelOf, type KindName } from '../../devices/models/index.js';
import { miredsToRgb, type LightState } from '../../devices/models/light.js';
import type { PlugState } from '../../devices/models/plug.js';
import { seededRandom } from '../../devices/random.js';

const light = (over: Partial<LightState> = {}): LightState => ({
  on: false,
  brightness: 100,
  colorMode: 'color_temp',
  colorTemp: 300,
  color: miredsToRgb(300),
  ...over,
});
const plugState = (over: Partial<PlugState> = {}): PlugState => ({ on: false, load: 60, power: 0, energy: 1, at: 0, ...over });

describe('light commands (Home Assistant JSON light schema)', () => {
  it.each<[string, KindName, LightState, unknown, object]>([
    ['turns on', 'onoff-light', light(), { state: 'ON' }, { state: 'ON' }],
    ['ignores keys the kind does not have', 'onoff-light', light(), { state: 'ON', brightness: 3 }, { state: 'ON' }],
    ['toggles', 'dimmable-light', light({ on: true }), { state: 'TOGGLE' }, { state: 'OFF', brightness: 100 }],
    ['turns on when only brightness is given', 'dimmable-light', light(), { brightness: 128 }, { state: 'ON', brightness: 128 }],
    ['clamps brightness to 255', 'dimmable-light', light(), { brightness: 999 }, { state: 'ON', brightness: 255 }],
    ['turns off on brightness 0, keeping the level', 'dimmable-light', light({ on: true }), { brightness: -5 }, { state: 'OFF', brightness: 100 }],
    ['lets an explicit OFF win over brightness', 'dimmable-light', light({ on: true }), { state: 'OFF', brightness: 50 }, { state: 'OFF', brightness: 50 }],
    [
      'sets colour temperature and its white',
      'color-light',
      light({ colorMode: 'rgb', color: { r: 0, g: 0, b: 255 } }),
      { color_temp: 370 },
      { state: 'ON', brightness: 100, color_mode: 'color_temp', color_temp: 370, color: miredsToRgb(370) },
    ],
    ['clamps colour temperature to 153', 'color-light', light(), { color_temp: 100 }, expect.objectContaining({ color_temp: 153 })],
    ['clamps colour temperature to 500', 'color-light', light(), { color_temp: 9000 }, expect.objectContaining({ color_temp: 500 })],
    [
      'sets rgb, clamping and rounding',
      'color-light',
      light(),
      { color: { r: 300, g: -1, b: 12.6 } },
      { state: 'ON', brightness: 100, color_mode: 'rgb', color_temp: 300, color: { r: 255, g: 0, b: 13 } },
    ],
  ])('%s (%s)', (_what, kind, state, command, payload) => {
    const model = modelOf(kind);
    const next = model.applyCommand(state, command);
    expect(next).not.toBeInstanceOf(Error);
    expect(model.toStatePayload(next)).toStrictEqual(payload);
  });

  it.each<[KindName, unknown, RegExp]>([
    ['dimmable-light', 'ON', /JSON object/],
    ['dimmable-light', null, /JSON object/],
    ['dimmable-light', [{ state: 'ON' }], /JSON object/],
    ['dimmable-light', {}, /none of/],
    ['onoff-light', { brightness: 10 }, /none of/],
    ['dimmable-light', { color_temp: 300 }, /none of/],
    ['dimmable-light', { state: 'on' }, /state must be/],
    ['dimmable-light', { state: true }, /state must be/],
    ['dimmable-light', { state: 'ON', brightness: 'high' }, /brightness must be a number/],
    ['dimmable-light', { brightness: Number.NaN }, /brightness must be a number/],
    ['color-light', { color: { r: 1 } }, /color must be/],
    ['color-light', { color_temp: '300' }, /color_temp must be a number/],
  ])('%s refuses %j', (kind, command, message) => {
    const next = modelOf(kind).applyCommand(light(), command);
    expect(next).toBeInstanceOf(Error);
    expect((next as Error).message).toMatch(message);
  });

  it('keeps a light as it is between commands', () => {
    const state = light({ on: true });
    expect(kinds['color-light'].tick(state, { now: 1e9, random: seededRandom(1) })).toBe(state);
  });
});

describe('plug commands', () => {
  it.each<[string, PlugState, unknown, object]>([
    ['switches on at its load', plugState(), { state: 'ON' }, { state: 'ON', power: 60, energy: 1 }],
    ['switches off to no power', plugState({ on: true, power: 58.2 }), { state: 'OFF' }, { state: 'OFF', power: 0, energy: 1 }],
    ['toggles', plugState(), { state: 'TOGGLE' }, { state: 'ON', power: 60, energy: 1 }],
    ['confirms a state it is already in', plugState({ on: true, power: 61.04 }), { state: 'ON' }, { state: 'ON', power: 60, energy: 1 }],
  ])('%s', (_what, state, command, payload) => {
    const next = kinds.plug.applyCommand(state, command);
    expect(kinds.plug.toStatePayload(next as PlugState)).toStrictEqual(payload);
  });

  it.each([[{}], [{ state: 1 }], ['ON'], [{ brightness: 10 }]])('refuses %j', (command) => {
    expect(kinds.plug.applyCommand(plugState(), command)).toBeInstanceOf(Error);
  });
});

describe('sensors', () => {
  it.each<KindName>(['climate-sensor', 'motion-sensor', 'door-sensor'])('%s accepts no commands', (kind) => {
    const model = modelOf(kind);
    expect(model.applyCommand(model.initialState(seededRandom(1), 0), { state: 'ON' })).toBeInstanceOf(Error);
  });
});

describe('every kind', () => {
  it.each(kindNames)('%s is deterministic for a given seed', (kind) => {
    const run = () => {
      const model = modelOf(kind);
      const random = seededRandom(42);
      let state = model.initialState(random, 0);
      const payloads = [];
      for (let now = 10_000; now <= 600_000; now += 10_000) {
        state = model.tick(state, { now, random });
        payloads.push(model.toStatePayload(state));
      }
      return payloads;
    };
    expect(run()).toStrictEqual(run());
  });
});
