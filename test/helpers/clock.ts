import type { ClockSource } from '../../hub/clock.js';

/** The system's clock, which the test can step as NTP steps a Raspberry Pi's: wall time moves, elapsed time does not. */
export class SteppedClock implements ClockSource {
  private offset = 0;
  wall = (): number => Date.now() + this.offset;
  monotonic = (): number => performance.now();

  step(ms: number): void {
    this.offset += ms;
  }
}

/** A clock that stands still, so that no throttle wait runs out while a loaded machine sends a test's requests. */
export const frozenClock: ClockSource = { wall: () => 1_000_000, monotonic: () => 0 };
