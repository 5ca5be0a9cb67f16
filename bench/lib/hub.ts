import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { withTimeout } from './time.js';

const MAIN = new URL('../../hub/main.js', import.meta.url).pathname;
/** Far above the slowest start measured (about 1 s with 10,000 devices). */
const START_TIMEOUT_MS = 60_000;
/** The hub's own shutdown gives up after 10 s. */
const STOP_TIMEOUT_MS = 15_000;

export interface BenchHub {
  pid: number;
  httpUrl: string;
  wsUrl: string;
  mqttUrl: string;
  dataDir: string;
  /** The owner's session, for every HTTP and WebSocket request. */
  headers: Record<string, string>;
  stop(): Promise<void>;
}

export interface Health {
  devices: { total: number; online: number };
  mqtt: { clients: number };
  bridge: { messages: number };
  storage: { commits: number };
}

/**
 * How every hub is started from now on: through a shell line (a cgroup's), with variables
 * added to its environment; null to start hubs directly, with the bench's own environment.
 */
let launch: { shell: string; env: Record<string, string> } | null = null;

/** Starts every hub from now on through `shell`, with `env` added, as `npm run bench -- --profile pi` does. */
export function startHubsThrough(shell: string | null, env: Record<string, string> = {}): void {
  launch = shell === null ? null : { shell, env };
}

/** The real hub, built as `npm start` runs it, in its own process on loopback, with no simulated devices. */
export async function startHub(options: { dataDir?: string; args?: string[]; nodeArgs?: string[]; headers?: Record<string, string> } = {}): Promise<BenchHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  const argv = [...(options.nodeArgs ?? extraNodeArgs()), MAIN, '--http-port', '0', '--mqtt-port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--simulate=0', '--log-level', 'warn', '--mqtt-anonymous=1', ...(options.args ?? [])];
  // In a cgroup: a shell joins it and becomes the hub (exec), so the pid is the hub's.
  const child = launch
    ? spawn('sh', ['-c', launch.shell, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...launch.env } })
    : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  // A bench that crashes must not leave a hub behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  // Printed after the banner on a fresh data dir only; read when onboarding needs it.
  const firstStart = firstLine(child, (line) => line.startsWith('First start'));
  firstStart.catch(() => {});
  const banner = await withTimeout(firstLine(child, (line) => line.startsWith('Hearth is running')), START_TIMEOUT_MS, 'the hub to start').catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  const http = /https?:\/\/localhost:(\d+)/.exec(banner)![1];
  // Devices connect to the embedded broker's port, or to the external broker the banner names.
  const mqttUrl = /MQTT broker (\S+) \(external\)/.exec(banner)?.[1] ?? `mqtt://127.0.0.1:${/mqtt:\/\/localhost:(\d+)/.exec(banner)![1]}`;
  const httpUrl = `http://127.0.0.1:${http}`;
  return {
    pid: child.pid!,
    httpUrl,
    // A session from an earlier start on the same data dir, or a new one.
    headers: options.headers ?? (await signIn(httpUrl, async () => /setup code (\S+)\./.exec(await firstStart)![1]!)),
    wsUrl: `ws://127.0.0.1:${http}/api/ws`,
    mqttUrl,
    dataDir,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await withTimeout(exited, STOP_TIMEOUT_MS, 'the hub to stop').catch(() => child.kill('SIGKILL'));
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `HEARTH_BENCH_HUB_NODE_ARGS="--cpu-prof --cpu-prof-dir /tmp/prof"`: Node options for every hub the bench starts. */
function extraNodeArgs(): string[] {
  return (process.env.HEARTH_BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

const OWNER = { username: 'bench', password: 'bench password' };

/** Creates the owner on a fresh data dir (with the setup code the hub printed), or logs in on one from an earlier start. */
async function signIn(httpUrl: string, setupCode: () => Promise<string>): Promise<Record<string, string>> {
  const { onboarded } = (await (await fetch(`${httpUrl}/api/auth/status`)).json()) as { onboarded: boolean };
  const response = await fetch(`${httpUrl}/api/auth/${onboarded ? 'login' : 'onboarding'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(onboarded ? OWNER : { ...OWNER, setupCode: await setupCode() }),
  });
  if (!response.ok) throw new Error(`signing in to the hub failed: ${response.status}`);
  return { cookie: response.headers.getSetCookie()[0]!.split(';')[0]! };
}

function firstLine(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => match(line) && resolve(line));
    child.once('exit', (code) => reject(new Error(`hub exited with ${code} before starting`)));
  });
}

/** A hub working through a flood may take seconds to answer; more than this is a failure. */
const HEALTH_TIMEOUT_MS = 60_000;

export async function health(hub: Pick<BenchHub, 'httpUrl' | 'headers'>): Promise<Health> {
  const response = await withTimeout(fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers }), HEALTH_TIMEOUT_MS, '/api/health');
  if (!response.ok) throw new Error(`/api/health answered ${response.status}`);
  return (await response.json()) as Health;
}

/** Starts a hub, runs `work` against it and always stops it. */
export async function withHub<T>(work: (hub: BenchHub) => Promise<T>, options?: Parameters<typeof startHub>[0]): Promise<T> {
  const hub = await startHub(options);
  try {
    return await work(hub);
  } finally {
    await hub.stop();
  }
}
