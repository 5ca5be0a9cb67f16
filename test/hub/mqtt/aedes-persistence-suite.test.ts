import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The hub's broker persistence (hub/mqtt/session-store.ts) passes the abstract test suite
 * that aedes-persistence 11.0.0, the version aedes 1.2.0 depends on, ships for every aedes
 * persistence. The suite is written for node:test, so it runs in a node process of its own.
 */
const SUITE = new URL('./aedes-persistence-suite.mjs', import.meta.url).pathname;

describe('aedes-persistence abstract suite', () => {
  it('passes every test of it', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--test', '--test-reporter=tap', SUITE], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (_error, out) =>
        resolve({ code: child.exitCode, stdout: out }),
      );
    });
    const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(stdout)?.[1]);
    expect({ code, fail: count('fail'), cancelled: count('cancelled') }).toStrictEqual({ code: 0, fail: 0, cancelled: 0 });
    expect(count('pass')).toBeGreaterThanOrEqual(50);
  }, 150_000);
});
