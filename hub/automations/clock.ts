/**
 * The automations' sense of time, injected so tests can move it: time-of-day and sun
 * triggers, delays and "stays for" holds all read `now()` and wait with `setTimer`.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Calls `fn` after `ms` milliseconds (0 or less: on the next turn). */
  setTimer(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    // Timers never keep a stopping hub alive.
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Longest single wait: Node's timers overflow past 2^31 ms, and a wall clock stepped while
 * waiting (NTP, a wrong RTC corrected) is noticed at the next check instead of days later.
 */
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Calls `fn` once the clock reads `at` or later. Waits in steps of at most an hour and checks
 * the clock after each, so a stepped wall clock moves the call with it.
 */
export function timerAt(clock: Clock, at: number, fn: () => void): Timer {
  let current: Timer;
  const wait = () => {
    const left = at - clock.now();
    if (left <= 0) return fn();
    current = clock.setTimer(Math.min(left, MAX_WAIT_MS), wait);
  };
  current = clock.setTimer(Math.min(at - clock.now(), MAX_WAIT_MS), wait);
  return { cancel: () => current.cancel() };
}

/** A delay that ends early, rejecting, when `signal` aborts (a restarted or stopped run). */
export function delay(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = timerAt(clock, clock.now() + ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    const onAbort = () => {
      timer.cancel();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
