import type { Clock, Timer } from '../../hub/automations/clock.js';

interface Pending {
  due: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets promises and I/O callbacks queued so far run, as a real turn of the event loop would. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock tests move by hand: `advance` fires each timer due on the way, in order, at its
 * own time, and lets what it started run before the next. Nothing waits for real time.
 */
export class FakeClock implements Clock {
  private current: number;
  private pending: Pending[] = [];
  private order = 0;

  constructor(start: number | string) {
    this.current = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const entry: Pending = { due: this.current + Math.max(0, ms), order: this.order++, fn, cancelled: false };
    this.pending.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** Moves time forward by `ms`, firing what falls due. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number | string): Promise<void> {
    const end = typeof target === 'number' ? target : Date.parse(target);
    for (;;) {
      await settle();
      this.pending = this.pending.filter((p) => !p.cancelled);
      const next = this.pending.filter((p) => p.due <= end).sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (!next) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = Math.max(this.current, end);
    await settle();
  }

  /**
   * Steps the wall clock (NTP correcting it, a wrong RTC): `now()` jumps, but timers, which
   * count elapsed time as Node's do, still fire after the time they were set for.
   */
  stepWallClock(ms: number): void {
    this.current += ms;
    for (const p of this.pending) p.due += ms;
  }

  /** When the next timer is due, if any: what the hub is waiting for. */
  nextDue(): number | undefined {
    return this.pending.filter((p) => !p.cancelled).reduce<number | undefined>((min, p) => (min === undefined || p.due < min ? p.due : min), undefined);
  }
}
