import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTimeout } from './time.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

export interface RunningBroker {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export const mosquittoInstalled = (): boolean => existsSync(MOSQUITTO);

export interface MosquittoOptions {
  /** A port to reuse (a restart); a free one otherwise. */
  port?: number;
  /** User names and passwords; none: anonymous clients are let in. */
  users?: Record<string, string>;
  /** The dynamic security plugin, with this administrator (as `mosquitto_ctrl dynsec init` makes it). */
  dynsec?: { admin: string; password: string };
}

const MOSQUITTO_CTRL = '/usr/bin/mosquitto_ctrl';

/**
 * Debian's Mosquitto on a loopback port, keeping nothing on disk. Its default queue of 1,000
 * messages per client is raised: the hub is the one client that hears every device.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningBroker> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'hearth-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  // Logging to stderr (unbuffered), where the line saying it runs tells when it is ready.
  // Without set_tcp_nodelay, Nagle's algorithm holds Mosquitto's small writes to the hub until
  // the last one is acknowledged: about 40 ms for some readings in every second at 20,000/s.
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'max_queued_messages 100000', 'set_tcp_nodelay true', 'log_dest stderr', 'log_type information'];
  if (options.users) {
    const passwords = join(dir, 'passwords');
    writeFileSync(passwords, '');
    for (const [user, password] of Object.entries(options.users)) execFileSync(MOSQUITTO_PASSWD, ['-b', passwords, user, password]);
    // Started as root, Mosquitto reads the file as its own user, after dropping privileges.
    chmodSync(dir, 0o755);
    chmodSync(passwords, 0o644);
    lines.push('allow_anonymous false', `password_file ${passwords}`);
  } else if (options.dynsec) {
    const file = join(dir, 'dynamic-security.json');
    execFileSync(MOSQUITTO_CTRL, ['dynsec', 'init', file, options.dynsec.admin, options.dynsec.password]);
    const plugin = readdirSync('/usr/lib').map((arch) => join('/usr/lib', arch, 'mosquitto_dynamic_security.so')).find((path) => existsSync(path));
    // As root, Mosquitto would drop to its own user, which may not write the file here.
    lines.push('user root', 'allow_anonymous false', `plugin ${plugin}`, `plugin_opt_config_file ${file}`);
  } else lines.push('allow_anonymous true');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = once(child, 'exit');
  await running(child);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await withTimeout(exited, 5_000, 'mosquitto to exit').catch(() => child.kill('SIGKILL'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when Mosquitto says it runs; rejects with what it said if it exits first. */
function running(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    const hear = (chunk: Buffer) => {
      said += chunk.toString();
      if (!/mosquitto version \S+ running/.test(said)) return;
      // What it says from here on (a line per connection) is read and dropped.
      child.stderr!.off('data', hear).resume();
      child.off('exit', exited);
      resolve();
    };
    const exited = (code: number | null) => reject(new Error(`mosquitto exited with ${code}: ${said.trim()}`));
    child.stderr!.on('data', hear);
    child.once('exit', exited);
  });
}

/** The hub's flags for a broker it runs itself: none for the embedded one. */
export const brokerArgs = (broker: string | undefined): string[] => (broker === 'hub-run mosquitto' ? ['--broker', 'mosquitto'] : []);

/** The Mosquitto a hub runs (its child process), or null. */
export function brokerOf(hub: { pid: number }, broker: string | undefined): number | null {
  if (broker !== 'hub-run mosquitto') return null;
  const pid = execFileSync('pgrep', ['-P', String(hub.pid), '-x', 'mosquitto']).toString().trim();
  return pid === '' ? null : Number(pid);
}
