/**
 * Randomness injected into the device models, so a test can replay a device exactly.
 * A `Random` returns a uniform number in [0, 1), like `Math.random`.
 */
export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to make sensor noise look natural. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [min, max). */
export const between = (random: Random, min: number, max: number): number => min + (max - min) * random();

/** A standard normal sample (Box-Muller); `1 - random()` keeps the logarithm finite. */
export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Whether an event with mean interval `meanMs` happened within `elapsedMs` (a Poisson
 * process), so a device's behaviour does not depend on how often it is ticked.
 */
export const happened = (random: Random, elapsedMs: number, meanMs: number): boolean =>
  random() < 1 - Math.exp(-elapsedMs / meanMs);
