/**
 * How simulated readings move. Every step takes the elapsed time, so a device behaves
 * the same whether it is ticked every second or every minute.
 */
import { gaussian, type Random } from '../random.js';

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** Rounds to `decimals` places, as firmware reports readings. */
export const round = (value: number, decimals = 0): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** Time since the last step; a clock that went backwards counts as no time. */
export const elapsed = (since: number, now: number): number => Math.max(0, now - since);

export interface Drift {
  /** Where the reading settles. */
  mean: number;
  /** Spread of the reading around the mean once settled. */
  spread: number;
  /** How fast it returns to the mean: larger is slower. */
  timeConstantMs: number;
}

/**
 * One exact step of an Ornstein-Uhlenbeck process: a random walk pulled back towards
 * its mean. Exact, not Euler, so a long gap between ticks cannot overshoot.
 */
export function drift(value: number, { mean, spread, timeConstantMs }: Drift, elapsedMs: number, random: Random): number {
  const keep = Math.exp(-elapsedMs / timeConstantMs);
  const noise = spread * Math.sqrt(1 - keep * keep);
  return mean + (value - mean) * keep + noise * gaussian(random);
}

/** About 1 % a month: a coin cell in a Zigbee sensor lasts a few years. */
const BATTERY_DRAIN_PER_MS = 1 / (30 * 24 * 3600 * 1000);

export const drainBattery = (percent: number, elapsedMs: number): number =>
  Math.max(0, percent - elapsedMs * BATTERY_DRAIN_PER_MS);
