/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every bench process derives it the
 * same way, so a time taken in a sensor process and one taken in a dashboard process are
 * comparable (same machine, same clock; `Date.now()` alone would round latencies to 1 ms).
 */
export const clock = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every wait in the bench is bounded: a lost message fails the run instead of hanging it. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it holds, at most `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string, everyMs = 50): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
