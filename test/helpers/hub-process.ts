import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { authorizedFetch, TEST_OWNER } from './hub.js';
import { waitForEvent } from './wait.js';

/** The built entry point, as `npm start` runs it (`npm test` builds first). */
export const MAIN = new URL('../../dist/hub/main.js', import.meta.url).pathname;

export interface HubProcess {
  child: ChildProcess;
  httpUrl: string;
  wsUrl: string;
  mqttUrl: string;
  stderr: string[];
  /** The owner's session, for HTTP and WebSocket requests. */
  headers: Record<string, string>;
  fetch: typeof fetch;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const running = new Set<ChildProcess>();

/** The hub as its own process, so a test can kill it for real. */
export function spawnHub(args: string[]): Promise<HubProcess> {
  return spawnHubAs({ command: process.execPath, args: [MAIN, '--http-port', '0', '--mqtt-port', '0', '--host', '127.0.0.1', '--simulate=0', '--mqtt-anonymous=1', ...args] });
}

export interface HubLaunch {
  /** The command line that runs the hub (e.g. under setpriv, as a service starts it). */
  command: string;
  args: string[];
  /** The whole environment; the test runner's own when not given. */
  env?: NodeJS.ProcessEnv;
}

/** The hub started by a command line of the caller's, which must print the start-up banner. */
export async function spawnHubAs({ command, args, env }: HubLaunch): Promise<HubProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  running.add(child);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exited.then(() => running.delete(child));
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const printed: string[] = [];
  lines.on('line', (line) => printed.push(line));
  const nextLine = (starting: string) =>
    printed.find((l) => l.startsWith(starting)) ??
    waitForEvent<string>(
      (listener) => {
        lines.on('line', listener);
        return () => lines.off('line', listener);
      },
      (line) => line.startsWith(starting),
      `a line starting '${starting}'`,
    );
  const banner = await nextLine('Hearth is running');
  const http = /https?:\/\/localhost:(\d+)/.exec(banner)![1];
  const mqtt = /mqtt:\/\/localhost:(\d+)/.exec(banner)![1];
  const httpUrl = `http://127.0.0.1:${http}`;
  const headers = await ownerSession(httpUrl, async () => /setup code (\S+)\./.exec(await nextLine('First start'))![1]!);
  return {
    child,
    httpUrl,
    headers,
    fetch: authorizedFetch(headers),
    wsUrl: `ws://127.0.0.1:${http}/api/ws`,
    mqttUrl: `mqtt://127.0.0.1:${mqtt}`,
    stderr,
    exited,
  };
}

/** Onboards the owner through the API on a fresh data dir, with the code the hub printed, or logs in on a used one. */
async function ownerSession(httpUrl: string, setupCode: () => Promise<string>): Promise<Record<string, string>> {
  const status = (await (await fetch(`${httpUrl}/api/auth/status`)).json()) as { onboarded: boolean };
  const response = await fetch(`${httpUrl}/api/auth/${status.onboarded ? 'login' : 'onboarding'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(status.onboarded ? TEST_OWNER : { ...TEST_OWNER, setupCode: await setupCode() }),
  });
  if (!response.ok) throw new Error(`owner login failed: ${response.status} ${await response.text()}`);
  return { cookie: response.headers.getSetCookie()[0]!.split(';')[0]! };
}

export function killAllHubProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}
