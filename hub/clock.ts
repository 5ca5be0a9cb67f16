/**
 * The hub's wall clock, with an eye on its steps. A Raspberry Pi has no real-time clock: it
 * starts with a wrong time and steps when NTP syncs, forwards or back. Readings are stamped
 * with this clock; their order and replay go by journal sequence, never by these times.
 */
export interface ClockSource {
  /** Epoch milliseconds, as Date.now. */
  wall(): number;
  /** Milliseconds that never step, as performance.now. */
  monotonic(): number;
}

export interface ClockStep {
  /** Wall time when the step was seen (after it). */
  detectedAt: number;
  /** How far the wall clock moved against elapsed time: negative for a step back. */
  byMs: number;
}

/** Wall time that drifts from elapsed time by more than this between two looks is a step (NTP slews smaller errors). */
const STEP_MS = 2_000;

export const systemClock: ClockSource = { wall: Date.now, monotonic: () => performance.now() };

export class HubClock {
  /** Steps seen since the hub started, newest last (a few at most: kept all). */
  readonly steps: ClockStep[] = [];
  private offset: number;

  constructor(private readonly source: ClockSource = systemClock) {
    this.offset = source.wall() - source.monotonic();
  }

  /** Epoch milliseconds; notes a step if the wall clock jumped since the last look. */
  now = (): number => {
    const wall = this.source.wall();
    const offset = wall - this.source.monotonic();
    const moved = offset - this.offset;
    if (moved > STEP_MS || moved < -STEP_MS) this.steps.push({ detectedAt: wall, byMs: Math.round(moved) });
    // Against the last look, not the first: NTP's slewing adds up over days but never jumps.
    this.offset = offset;
    return wall;
  };

  /**
   * At start: the newest time the hub has stored is ahead of the clock (it stepped back
   * while the hub was down, or before a crash); noted as a step of the difference.
   */
  noteStoredTime(newest: number): void {
    const now = this.now();
    if (newest - now > STEP_MS) this.steps.push({ detectedAt: now, byMs: now - newest });
  }
}
