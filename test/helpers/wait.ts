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
