/**
 * Failed logins per key (an address, a user name) with exponential back-off: the first few
 * mistakes are free, then each one doubles the wait, up to a quarter of an hour. A success
 * clears the key. The table is bounded so a flood of made-up names cannot grow memory.
 *
 * How the login route uses it (see api/auth.ts): an address takes a try before its password
 * is checked, synchronously, so that parallel requests cannot all pass the free tries while
 * the slow hash runs; a locked address is refused unchecked. A user name only counts
 * failures, and its lock never refuses the right password: someone on the network guessing
 * from their address cannot lock the owner out from theirs.
 */
export interface ThrottleOptions {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxKeys: number;
}

const DEFAULTS: ThrottleOptions = { freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 15 * 60 * 1000, maxKeys: 10_000 };

interface Entry {
  failures: number;
  blockedUntil: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly options: ThrottleOptions;

  constructor(
    options: Partial<ThrottleOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Milliseconds until any of these keys may try again; 0 when all may. */
  waitMs(keys: readonly string[]): number {
    const at = this.now();
    let wait = 0;
    for (const key of keys) wait = Math.max(wait, (this.entries.get(key)?.blockedUntil ?? 0) - at);
    return Math.max(0, wait);
  }

  /**
   * Takes a try for `key` now, counted as a failure until `succeed` clears it: atomic, as
   * nothing awaits between the check and the count. Returns 0 when the try may go ahead,
   * otherwise how many milliseconds the key must wait (and the try is not counted).
   */
  take(key: string): number {
    const wait = this.waitMs([key]);
    if (wait === 0) this.fail([key]);
    return wait;
  }

  fail(keys: readonly string[]): void {
    const { freeAttempts, baseDelayMs, maxDelayMs, maxKeys } = this.options;
    for (const key of keys) {
      const entry = this.entries.get(key) ?? { failures: 0, blockedUntil: 0 };
      entry.failures++;
      const over = entry.failures - freeAttempts;
      if (over >= 0) entry.blockedUntil = this.now() + Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(over, 30));
      // Re-inserting keeps the map in last-failure order, so the oldest is evicted first.
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (this.entries.size > maxKeys) this.entries.delete(this.entries.keys().next().value!);
    }
  }

  succeed(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
