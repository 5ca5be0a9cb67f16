import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { waitForEvent } from '../helpers/wait.js';

/** The built entry point, as `npm run devices` runs it (`npm test` builds first). */
const MAIN = new URL('../../dist/devices/main.js', import.meta.url).pathname;

afterAll(stopAllHubs);

describe('standalone simulated devices on a hub that requires credentials', () => {
  it('connect with --username and --password of one credential covering their topics', async () => {
    const hub = await startHub({ mqttAnonymous: false });
    // As the README says to make it.
    const { username, password } = hub.app.deviceCredentials.create('Simulated devices', ['hearth/#', 'homeassistant/+/+/+/config']);
    const child = spawn(process.execPath, [MAIN, '--url', hub.mqttUrl, '--count', '2', '--prefix', 'auth', '--tick-ms', '0', '--username', username, '--password', password], { stdio: ['ignore', 'pipe', 'pipe'] });
    // What the devices said, for a failure to show: this once timed out in a full run, unexplained.
    const said: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => said.push(chunk.toString()));
    const exited = once(child, 'exit');
    let bothOnline = false;
    const online = () => hub.app.registry.list().filter((d) => d.online && d.id.startsWith('auth-')).length === 2;
    // A devices process that gives up (a refused CONNECT is final) ends the wait at once.
    const gaveUp = exited.then(([code]) => {
      if (!bothOnline) throw new Error(`the devices process exited (${code}) before both were online`);
    });
    await Promise.race([waitForEvent<unknown>((listener) => hub.app.registry.subscribe(listener), online, 'both standalone devices online'), gaveUp]).catch((error: Error) => {
      child.kill('SIGKILL');
      const devices = hub.app.registry.list().map((d) => `${d.id} online=${d.online}`);
      throw new Error(`${error.message}; the hub's devices: ${devices.join(', ') || 'none'}; the devices process said:\n${said.join('')}`);
    });
    bothOnline = true;
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });

  it('refuses a user name without a password, with exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, '--username', 'someone'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('--username and --password go together');
  });
});
