import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hubSocketPath } from '../../hub/cli/hub-socket.js';
import { newDataDir, startHub, stopAllHubs } from '../helpers/hub.js';
import { LogTap } from '../helpers/log-tap.js';

afterEach(stopAllHubs);

const DRIVER = new URL('../../node_modules/better-sqlite3/lib/index.js', import.meta.url).pathname;
const CREDENTIALS_CLI = new URL('../../dist/hub/cli/credentials.js', import.meta.url).pathname;
const BACKUP_CLI = new URL('../../dist/hub/cli/backup.js', import.meta.url).pathname;

/** Runs node with `args` in a process of its own: its exit code and what it printed. */
function node(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 30_000 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }));
  });
}

/** Another program on the same machine reading the hub's database: sqlite3's shell, a backup tool. */
const readFromAnotherProcess = (file: string) =>
  node(['-e', `const D = require(${JSON.stringify(DRIVER)}); try { const db = new D(${JSON.stringify(file)}, { timeout: 0 }); console.log('read', db.prepare('SELECT count(*) AS n FROM sqlite_schema').get().n > 0) } catch (error) { console.log(error.code) }`]);

/** Sends `bytes` on the hub's socket as a client would, and reads the whole answer. */
async function ask(dataDir: string, bytes: string | Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  const socket = connect(hubSocketPath(dataDir));
  await once(socket, 'connect');
  socket.end(bytes);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

describe('the hub holds its database alone while it runs', () => {
  it('keeps the WAL index in memory, not in a file the disk must take, and lets other processes in once it stops', async () => {
    const hub = await startHub();
    const file = join(hub.dataDir, 'hearth.db');
    expect(existsSync(`${file}-shm`)).toBe(false);
    expect(await readFromAnotherProcess(file)).toStrictEqual({ code: 0, out: 'SQLITE_BUSY\n' });
    await hub.close();
    expect(await readFromAnotherProcess(file)).toStrictEqual({ code: 0, out: 'read true\n' });
  });

  it('refuses what is not a request on its socket with a clear answer, and goes on', async () => {
    const hub = await startHub();
    expect(await ask(hub.dataDir, 'not json')).toStrictEqual({ code: 2, stdout: '', stderr: 'hearth: the hub refused the request: not JSON\n' });
    const refusedShape = { code: 2, stdout: '', stderr: 'hearth: the hub refused the request: not a backup or credentials request\n' };
    expect(await ask(hub.dataDir, JSON.stringify({ command: 'shell', args: ['rm -rf /'] }))).toStrictEqual(refusedShape);
    expect(await ask(hub.dataDir, JSON.stringify({ command: 'credentials', args: 'list' }))).toStrictEqual(refusedShape);
    expect(await ask(hub.dataDir, JSON.stringify({ command: 'backup', extra: true }))).toStrictEqual(refusedShape);
    expect(await ask(hub.dataDir, Buffer.alloc(70_000, 0x41))).toMatchObject({ code: 2, stderr: expect.stringContaining('longer than 65536 bytes') });
    expect(await ask(hub.dataDir, JSON.stringify({ command: 'credentials', args: ['frobnicate'] }))).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run credentials') });
    expect(await ask(hub.dataDir, JSON.stringify({ command: 'credentials', args: ['list'] }))).toStrictEqual({ code: 0, stdout: 'no credentials\n', stderr: '' });
    expect((await hub.fetch(`${hub.httpUrl}/api/health`)).status).toBe(200);
    expect((lstatSync(hubSocketPath(hub.dataDir)).mode & 0o777).toString(8)).toBe('600');
  });

  it('takes over the socket a killed hub left, and the CLIs work on the file while no hub runs', async () => {
    const dataDir = newDataDir();
    // A process that binds the socket and is killed leaves the file behind, as a hub killed with -9 does.
    const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(hubSocketPath(dataDir))}, () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(holder.stdout, 'data');
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect(lstatSync(hubSocketPath(dataDir)).isSocket()).toBe(true);

    const offline = await node([CREDENTIALS_CLI, 'add', 'Porch light', '--data-dir', dataDir]);
    expect(offline).toMatchObject({ code: 0, out: expect.stringContaining('username: porch-light') });

    const hub = await startHub({ dataDir });
    expect(await node([CREDENTIALS_CLI, 'list', '--data-dir', dataDir])).toMatchObject({ code: 0, out: expect.stringContaining('porch-light  (Porch light)') });
    expect(hub.app.deviceCredentials.list().map((c) => c.username)).toStrictEqual(['porch-light']);
    expect(readFileSync(join(dataDir, 'hearth.db')).length).toBeGreaterThan(0);
  });

  it('starts without its socket where the path is too long for one, and the commands say why they cannot run', async () => {
    const dataDir = join(newDataDir(), 'a-data-dir-whose-path-is-longer-than-a-unix-socket-address-can-hold-on-linux-108-bytes');
    const logs = new LogTap();
    await startHub({ dataDir, logs });
    expect(await logs.next('the hub socket')).toMatchObject({ path: hubSocketPath(dataDir) });
    const refused = { code: 1, out: expect.stringContaining(`a running hub holds the database in ${dataDir} but does not answer on`) };
    expect(await node([CREDENTIALS_CLI, 'list', '--data-dir', dataDir])).toStrictEqual(refused);
    expect(await node([BACKUP_CLI, '--data-dir', dataDir])).toStrictEqual(refused);
  });
});

