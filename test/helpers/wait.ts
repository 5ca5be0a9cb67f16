/**
 * Safety net only: tests wait for events, and this bounds how long a broken one hangs. Generous,
 * because a loaded CI machine can take over 10 s to start a child process and connect it.
 */
export const EVENT_TIMEOUT_MS = 30_000;

/** Resolves with the first value `subscribe` delivers that satisfies `predicate`. */
export function waitForEvent<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  predicate: (value: T) => boolean,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}

/**
 * Resolves once `holds()` is true, asking every 20 ms: for a state another process changes
 * and announces nowhere (rows in a database file). The timeout is a safety net, as above.
 */
export function waitForCondition(holds: () => boolean, what: string, timeoutMs = EVENT_TIMEOUT_MS): Promise<void> {
  return waitForEvent<void>(
    (listener) => {
      const timer = setInterval(listener, 20);
      return () => clearInterval(timer);
    },
    holds,
    what,
    timeoutMs,
  );
}
