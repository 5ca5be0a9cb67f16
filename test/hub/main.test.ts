import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { newDataDir, stopAllHubs } from '../helpers/hub.js';
import { waitForEvent } from '../helpers/wait.js';

afterEach(stopAllHubs);

/** The built entry point, as `npm start` runs it (`npm test` builds first). */
const MAIN = new URL('../../dist/hub/main.js', import.meta.url).pathname;

function startProcess(args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return { child, lines, stderr };
}

describe('the hub process', () => {
  it('prints where it listens, serves, and shuts down cleanly on SIGTERM', async () => {
    const { child, lines } = startProcess(['--http-port', '0', '--mqtt-port', '0', '--host', '127.0.0.1', '--data-dir', newDataDir(), '--simulate=0']);
    const banner = await waitForEvent<string>(
      (listener) => {
        lines.on('line', listener);
        return () => lines.off('line', listener);
      },
      (line) => line.startsWith('Hearth is running'),
      'the start-up banner',
    );
    const port = /http:\/\/localhost:(\d+)/.exec(banner)?.[1];
    expect(banner).toMatch(/MQTT mqtt:\/\/localhost:\d+/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(((await health.json()) as { status: string }).status).toBe('ok');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('refuses a bad configuration with a precise message and exit code 2', async () => {
    const { child, stderr } = startProcess(['--http-port', 'abc']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('--http-port: invalid value "abc"');
  });
});
