import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllHubProcesses, spawnHubAs } from '../helpers/hub-process.js';

const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const UNIT = join(REPO, 'deploy/hearth.service');
const INSTALL = join(REPO, 'deploy/install.sh');
/** What the unit says in /opt/hearth, this checkout is here. */
const INSTALLED_APP_DIR = '/opt/hearth';

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-deploy-'));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  killAllHubProcesses();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The unit's [Service] settings, each key with its values in order (systemd.syntax(7), without line continuations). */
function serviceSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) section = line;
    else if (section === '[Service]') {
      const at = line.indexOf('=');
      settings.set(line.slice(0, at), [...(settings.get(line.slice(0, at)) ?? []), line.slice(at + 1)]);
    }
  }
  return settings;
}

/** KEY=VALUE lines as systemd reads an EnvironmentFile= (comments and blank lines skipped). */
const envFile = (text: string) => Object.fromEntries(text.split('\n').filter((l) => /^\s*[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1)]));

/** systemd-analyze verify's verdict: exit code and what it complained of. */
function verify(unit: string) {
  const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  return { status: result.status, complaints: result.stderr.trim() };
}

describe('deploy/hearth.service', () => {
  it('passes systemd-analyze verify without a complaint', () => {
    expect(verify(UNIT)).toStrictEqual({ status: 0, complaints: '' });
  });

  it('runs the hub as its own user, hardened, and waits longer than the hub does to shut down', () => {
    const unit = serviceSettings(readFileSync(UNIT, 'utf8'));
    const one = (key: string) => unit.get(key)?.at(-1);
    expect(one('User')).toBe('hearth');
    expect([one('StateDirectory'), one('StateDirectoryMode'), one('EnvironmentFile'), one('Restart')]).toStrictEqual(['hearth', '0700', '/etc/hearth/hearth.env', 'on-failure']);
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp']) expect([key, one(key)]).toStrictEqual([key, 'yes']);
    expect(one('ProtectSystem')).toBe('strict');
    expect([one('CapabilityBoundingSet'), one('AmbientCapabilities')]).toStrictEqual(['', '']);
    const hubLimitMs = Number(/const SHUTDOWN_TIMEOUT_MS = ([\d_]+)/.exec(readFileSync(join(REPO, 'hub/main.ts'), 'utf8'))![1]!.replace(/_/g, ''));
    expect(Number(one('TimeoutStopSec')) * 1000).toBeGreaterThan(hubLimitMs);
    // The allocator settings the Pi profile of the bench measures the hub with (bench/lib/service-env.ts).
    expect(unit.get('Environment')).toContain('MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072');
  });
});

describe('deploy/install.sh', () => {
  it('installs the unit, a drop-in for where this checkout is and the env file, and changes nothing the second time', () => {
    const root = tempDir();
    const run = () => execFileSync('bash', [INSTALL], { env: { ...process.env, HEARTH_ROOT: root }, encoding: 'utf8' });
    expect(run()).toContain(`wrote ${root}/etc/hearth/hearth.env`);
    const envPath = join(root, 'etc/hearth/hearth.env');
    writeFileSync(envPath, 'HUB_HTTP_PORT=8081\n');
    expect(run()).toBe('hearth install: nothing to change\n');
    // The owner's settings are never overwritten, and stay unreadable to other users (a broker password may be there).
    expect(readFileSync(envPath, 'utf8')).toBe('HUB_HTTP_PORT=8081\n');
    expect((statSync(envPath).mode & 0o777).toString(8)).toBe('640');

    const installed = join(root, 'etc/systemd/system/hearth.service');
    expect(readFileSync(installed, 'utf8')).toBe(readFileSync(UNIT, 'utf8'));
    expect(readFileSync(`${installed}.d/install.conf`, 'utf8')).toContain(`ExecStart=${process.execPath} ${REPO}/dist/hub/main.js`);
    // The unit as systemd will load it, with the drop-in beside it.
    expect(verify(installed)).toStrictEqual({ status: 0, complaints: '' });
  });
});

describe('the hub started as the unit starts it', () => {
  it('runs as a user without privileges, takes its settings from the env file, keeps its data private and stops in time', async () => {
    const unit = serviceSettings(readFileSync(UNIT, 'utf8'));
    const one = (key: string) => unit.get(key)!.at(-1)!;
    // systemd's StateDirectory=: made for the service's user, with StateDirectoryMode=.
    const state = tempDir();
    chownSync(state, 65534, 65534);
    const env = {
      ...envFile(unit.get('Environment')!.flatMap((line) => line.split(' ')).join('\n')),
      ...envFile(readFileSync(join(REPO, 'deploy/hearth.env'), 'utf8')),
      // The test's own lines of the env file: free ports on loopback, and the state dir above.
      ...envFile(`HUB_HTTP_PORT=0\nHUB_MQTT_PORT=0\nHUB_HOST=127.0.0.1\nHUB_DATA_DIR=${state}/data\n`),
      PATH: '/usr/local/bin:/usr/bin:/bin',
    };
    // The unit's ExecStart with this checkout for /opt/hearth, and the node running the tests.
    const main = one('ExecStart').replace(INSTALLED_APP_DIR, REPO).split(' ')[1]!;
    // `nobody` stands for the service's own system user: what matters is that it is not root.
    const hub = await spawnHubAs({
      command: 'sh',
      args: ['-c', `umask ${one('UMask')} && exec setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs "$0" "$1"`, process.execPath, main],
      env,
    });
    const health = (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect(readFileSync(`/proc/${hub.child.pid}/status`, 'utf8')).toMatch(/^Uid:\t65534\t65534\t65534\t65534$/m);
    // HUB_SIMULATE=0 from the env file: no demo home.
    expect(await (await hub.fetch(`${hub.httpUrl}/api/devices`)).json()).toStrictEqual([]);
    for (const name of readdirSync(`${state}/data`)) {
      const { uid, mode } = statSync(`${state}/data/${name}`);
      expect([name, uid, (mode & 0o777).toString(8)]).toStrictEqual([name, 65534, '600']);
    }

    // Exit 0: done within the hub's own shutdown limit, which is shorter than TimeoutStopSec (above).
    hub.child.kill(one('KillSignal') as NodeJS.Signals);
    expect(await hub.exited).toStrictEqual([0, null]);
  });
});
