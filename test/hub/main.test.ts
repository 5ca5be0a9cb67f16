import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { newDataDir, stopAllHubs } from '../helpers/hub.js';
import { killAllHubProcesses, spawnHub } from '../helpers/hub-process.js';

afterEach(async () => {
  killAllHubProcesses();
  await stopAllHubs();
});

describe('the hub process', () => {
  it('prints where it listens, serves, and shuts down cleanly on SIGTERM', async () => {
    const hub = await spawnHub(['--data-dir', newDataDir()]);
    const health = await hub.fetch(`${hub.httpUrl}/api/health`);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    hub.child.kill('SIGTERM');
    const [code] = await hub.exited;
    expect(code).toBe(0);
  });

  it('refuses a bad configuration with a precise message and exit code 2', async () => {
    const child = spawn(process.execPath, [new URL('../../dist/hub/main.js', import.meta.url).pathname, '--http-port', 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('--http-port: invalid value "abc"');
  });
});
