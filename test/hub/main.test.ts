import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { newDataDir, stopAllHubs } from '../helpers/hub.js';
import { killAllHubProcesses, MAIN, spawnHub } from '../helpers/hub-process.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

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

  // The built entry is one bundled file (hub/build/bundle.mjs), and the hub's worker threads run
  // source text taken from it: the writer's commits and a backup's copy run here as a user's do.
  it('commits through its writer thread and takes a backup on demand', async () => {
    const dataDir = newDataDir();
    const hub = await spawnHub(['--data-dir', dataDir]);
    const device = await connectMqtt(hub.mqttUrl);
    await announceMeter(device, 'm1');
    // Acknowledged once the writer thread has committed the event it made (test/hub/mqtt/acknowledged.test.ts).
    await device.publishAsync('plain/m1/state', JSON.stringify({ power: 7 }), { qos: 1 });
    device.end();
    const taken = await hub.fetch(`${hub.httpUrl}/api/backups`, { method: 'POST' });
    expect(taken.status).toBe(201);
    const { name } = (await taken.json()) as { name: string };
    const backup = new Database(join(dataDir, 'backups', name), { readonly: true });
    try {
      expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(backup.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
      expect(backup.prepare(`SELECT count(*) FROM events WHERE body LIKE '%"power":7%'`).pluck().get()).toBe(1);
    } finally {
      backup.close();
    }
  });

  // V8 holds a module's source for as long as it runs, two bytes a character once one is past
  // Latin-1: 4.2 MB of heap for this file instead of 2.1 (hub/build/bundle.mjs escapes them).
  it('is one bundled file whose source V8 can keep one byte a character', () => {
    const source = readFileSync(MAIN, 'utf8');
    expect(source).toContain('function writerThread(require)');
    // Fastify's schema compilers come from their own bundle, loaded with the first request.
    expect(source).not.toMatch(/require\(\s*['"`]@fastify\/(ajv-compiler|fast-json-stringify-compiler)/);
    expect([...source].filter((character) => character.codePointAt(0)! > 0xff)).toStrictEqual([]);
  });

  it('refuses a bad configuration with a precise message and exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, '--http-port', 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.join('')).toContain('--http-port: invalid value "abc"');
  });
});
