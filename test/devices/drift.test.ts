import { describe, expect, it } from 'vitest';
import type { DeviceModel } from '../../devices/models/index.js';
import { climateSensor } from '../../devices/models/climate-sensor.js';
import { doorSensor } from '../../devices/models/door-sensor.js';
import { motionSensor, OCCUPANCY_TIMEOUT_MS, type MotionState } from '../../devices/models/motion-sensor.js';
import { plug } from '../../devices/models/plug.js';
import { seededRandom } from '../../devices/random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every state of `model` ticked every `stepMs` for `durationMs`, from a seeded start. */
function run<S>(model: DeviceModel<S>, seed: number, stepMs: number, durationMs: number, start?: (s: S) => S): S[] {
  const random = seededRandom(seed);
  let state = model.initialState(random, 0);
  if (start) state = start(state);
  const states = [state];
  for (let now = stepMs; now <= durationMs; now += stepMs) {
    state = model.tick(state, { now, random });
    states.push(state);
  }
  return states;
}

const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('climate sensor', () => {
  it.each([1, 2, 3, 4, 5])('wanders around its set point and usual humidity (seed %i)', (seed) => {
    const states = run(climateSensor, seed, 5_000, DAY);
    const { setPoint, usualHumidity } = states[0]!;
    const temperatures = states.map((s) => s.temperature);
    const humidities = states.map((s) => s.humidity);
    for (const t of temperatures) expect(Math.abs(t - setPoint)).toBeLessThan(3);
    for (const h of humidities) expect(Math.abs(h - usualHumidity)).toBeLessThan(15);
    expect(Math.abs(average(temperatures) - setPoint)).toBeLessThan(0.5);
    // It does move: a reading that never changes would look dead on the dashboard.
    expect(spread(temperatures)).toBeGreaterThan(1);
    expect(spread(humidities)).toBeGreaterThan(5);
  });

  it('reports one decimal and a whole battery percentage', () => {
    const [, state] = run(climateSensor, 7, 5_000, 5_000);
    const payload = climateSensor.toStatePayload(state!);
    expect(payload).toStrictEqual({ temperature: expect.any(Number), humidity: expect.any(Number), battery: expect.any(Number) });
    expect(Number.isInteger((payload.temperature as number) * 10)).toBe(true);
    expect(Number.isInteger(payload.battery)).toBe(true);
  });

  it('drains its battery by about one percent a month, never below zero', () => {
    const month = run(climateSensor, 3, HOUR, 30 * DAY);
    expect(month[0]!.battery - month.at(-1)!.battery).toBeCloseTo(1, 5);
    const decade = climateSensor.tick(month.at(-1)!, { now: 3650 * DAY, random: seededRandom(1) });
    expect(climateSensor.toStatePayload(decade).battery).toBe(0);
  });
});

describe('plug', () => {
  it.each([11, 12, 13])('draws around its load when on (seed %i)', (seed) => {
    const states = run(plug, seed, 10_000, HOUR, (s) => ({ ...s, on: true, power: s.load }));
    const { load } = states[0]!;
    for (const { power } of states) expect(Math.abs(power - load)).toBeLessThan(load * 0.2);
    expect(spread(states.map((s) => s.power))).toBeGreaterThan(0);
  });

  it('draws nothing when off', () => {
    const states = run(plug, 1, 10_000, HOUR, (s) => ({ ...s, on: false, power: 0 }));
    expect(new Set(states.map((s) => s.power))).toStrictEqual(new Set([0]));
    expect(states.at(-1)!.energy).toBe(states[0]!.energy);
  });

  it('integrates power over elapsed time into kWh', () => {
    const states = run(plug, 5, 10_000, HOUR, (s) => ({ ...s, on: true, power: s.load }));
    // Each step adds the power measured at its start times the 10 s that passed.
    const expected = states.slice(0, -1).reduce((kWh, s) => kWh + (s.power * 10) / 3600 / 1000, states[0]!.energy);
    expect(states.at(-1)!.energy).toBeCloseTo(expected, 9);
    expect(states.at(-1)!.energy - states[0]!.energy).toBeCloseTo(states[0]!.load / 1000, 2);
  });

  it('is independent of how often it is ticked', () => {
    const start = (s: Parameters<typeof plug.tick>[0]) => ({ ...s, on: true, power: s.load });
    const fine = run(plug, 9, 1_000, HOUR, start).at(-1)!;
    const coarse = run(plug, 9, 60_000, HOUR, start).at(-1)!;
    expect(fine.energy - coarse.energy).toBeCloseTo(0, 2);
  });
});

describe('motion sensor', () => {
  const occupied = (lastMotion: number): MotionState => ({ occupancy: true, lastMotion, battery: 90, at: lastMotion });
  const noMotion = () => 0.999_999;

  it.each([
    [OCCUPANCY_TIMEOUT_MS - 1, true],
    [OCCUPANCY_TIMEOUT_MS, false],
  ])('%i ms after the last motion, occupancy is %s', (now, expected) => {
    expect(motionSensor.tick(occupied(0), { now, random: noMotion }).occupancy).toBe(expected);
  });

  it('detects motion now and then, and clears after the timeout', () => {
    const states = run(motionSensor, 21, 10_000, DAY);
    const share = states.filter((s) => s.occupancy).length / states.length;
    // Motion every 3 minutes on average with a 90 s timeout: occupied about 40 % of the time.
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.55);
    for (const s of states) if (s.occupancy) expect(s.at - s.lastMotion).toBeLessThan(OCCUPANCY_TIMEOUT_MS);
  });
});

describe('door sensor', () => {
  it('opens now and then and does not stay open long', () => {
    const states = run(doorSensor, 31, 5_000, DAY);
    const openings = states.filter((s, i) => i > 0 && states[i - 1]!.contact && !s.contact).length;
    // A door opened about every 10 minutes, for about 20 s each time.
    expect(openings).toBeGreaterThan(80);
    expect(openings).toBeLessThan(220);
    expect(states.filter((s) => !s.contact).length / states.length).toBeLessThan(0.1);
  });
});
