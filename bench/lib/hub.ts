import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = new URL('../../hub/main.js', import.meta.url).pathname;

export interface BenchHub {
  pid: number;
  httpUrl: string;
  wsUrl: string;
  mqttUrl: string;
  dataDir: string;
  /** Milliseconds from spawn to the start-up banner. */
  startMs: number;
  stop(): Promise<void>;
}

/** The real hub in its own process, on loopback, with no simulated devices. */
export async function startHub(options: { dataDir?: string; args?: string[] } = {}): Promise<BenchHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [MAIN, '--http-port', '0', '--mqtt-port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--simulate=0', '--log-level', 'warn', ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const banner = await firstLine(child, (line) => line.startsWith('Hearth is running'));
  const startMs = performance.now() - started;
  const http = /http:\/\/localhost:(\d+)/.exec(banner)![1];
  const mqtt = /mqtt:\/\/localhost:(\d+)/.exec(banner)![1];
  return {
    pid: child.pid!,
    httpUrl: `http://127.0.0.1:${http}`,
    wsUrl: `ws://127.0.0.1:${http}/api/ws`,
    mqttUrl: `mqtt://127.0.0.1:${mqtt}`,
    dataDir,
    startMs,
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => match(line) && resolve(line));
    child.once('exit', (code) => reject(new Error(`hub exited with ${code} before starting`)));
  });
}

export async function health(hub: BenchHub): Promise<{ bridge: { messages: number }; devices: { total: number; online: number } }> {
  return (await fetch(`${hub.httpUrl}/api/health`)).json() as never;
}
