import { timerAt, type Timer } from '../clock.js';
import type { TriggerContext } from '../context.js';

/** When nothing can be scheduled yet (no place set, a polar night), look again this much later. */
const RETRY_MS = 6 * 60 * 60 * 1000;

/**
 * Fires at each instant `next` gives, from now on. Times missed while the hub was down are
 * not made up for: the first one scheduled is the next still ahead.
 */
export function armSchedule(ctx: TriggerContext, next: (after: number) => number | null, description: (at: number) => string): () => void {
  let timer: Timer;
  const schedule = () => {
    const at = next(ctx.clock.now());
    timer =
      at === null
        ? ctx.clock.setTimer(RETRY_MS, schedule)
        : timerAt(ctx.clock, at, () => {
            ctx.fire(description(at));
            schedule();
          });
  };
  schedule();
  return () => timer.cancel();
}
