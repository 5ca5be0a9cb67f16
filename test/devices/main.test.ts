import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForEvent } from '../helpers/wait.js';
import { Observer, startBroker, type TestBroker } from './broker.js';

/** The built entry point, as `npm run devices` runs it (`npm test` builds first). */
const MAIN = new URL('../../dist/devices/main.js', import.meta.url).pathname;

let broker: TestBroker;
beforeEach(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  await broker.close();
});

function startProcess(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines = createInterface({ input: child.stdout! });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const line = (predicate: (line: string) => boolean, what: string) =>
    waitForEvent<string>(
      (listener) => {
        lines.on('line', listener);
        return () => lines.off('line', listener);
      },
      predicate,
      what,
    );
  return { child, line, stderr };
}

describe('the devices process', () => {
  it('starts numbered devices, prints them, and takes them offline on SIGTERM', async () => {
    const observer = await Observer.connect(broker.url, ['hearth/+/availability']);
    // The URL comes from the environment here, as a container would pass it.
    const { child, line } = startProcess(['--count', '3', '--prefix', 'cli', '--tick-ms', '0'], { HEARTH_MQTT_URL: broker.url });
    const listing = line((l) => l.startsWith('3 simulated devices'), 'the device listing');
    expect(await listing).toBe(`3 simulated devices on ${broker.url}:`);
    await observer.next('hearth/cli-3-color-light/availability', (m) => m.text === 'online');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    for (const id of ['cli-1-onoff-light', 'cli-2-dimmable-light', 'cli-3-color-light']) {
      await observer.next(`hearth/${id}/availability`, (m) => m.text === 'offline');
    }
    await observer.close();
  });

  it('refuses a bad count with a precise message and exit code 2', async () => {
    const { child, stderr } = startProcess(['--count', 'many']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('--count: invalid value "many"');
  });
});
