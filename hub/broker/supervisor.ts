import { spawn, type ChildProcess } from 'node:child_process';
import type { FastifyBaseLogger } from 'fastify';

export interface SupervisorOptions {
  binary: string;
  confFile: string;
  log: FastifyBaseLogger;
  /** Run before every start, first and restarts: writes the files Mosquitto reads. */
  prepare(): void;
}

/** After an unexpected exit the next start waits this long, doubling per failure up to the maximum. */
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A run this long resets the delay: Mosquitto was working, the exit is a new failure. */
const STABLE_RUN_MS = 30_000;
/** SIGTERM lets Mosquitto save its state; past this, it is killed. */
const STOP_TIMEOUT_MS = 10_000;
/** What Mosquitto says when its listeners are open. */
const RUNNING = /mosquitto version \S+ running/;

/**
 * Runs Mosquitto as a child process: starts it, restarts it whenever it exits on its own
 * (with growing delays, so a broken configuration cannot become a busy loop), and stops
 * it with SIGTERM. Its log lines go to the hub's log.
 */
export class MosquittoSupervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private delay = FIRST_RESTART_DELAY_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly startedListeners: (() => void)[] = [];
  /** Times Mosquitto was started again after it exited on its own. */
  restarts = 0;

  constructor(private readonly options: SupervisorOptions) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Calls `listener` after every start that got as far as listening. */
  onStarted(listener: () => void): void {
    this.startedListeners.push(listener);
  }

  /** Resolves once Mosquitto listens; rejects with what it said if it exits first. */
  async start(): Promise<void> {
    this.options.prepare();
    const child = spawn(this.options.binary, ['-c', this.options.confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    const startedAt = Date.now();
    await listening(child, this.options.log);
    child.once('exit', (code, signal) => this.exited(child, code, signal, Date.now() - startedAt));
    for (const listener of this.startedListeners) listener();
  }

  /** Asks Mosquitto to write its in-memory state (sessions, subscriptions, queues) to disk now. */
  save(): void {
    this.child?.kill('SIGUSR1');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, ranMs: number): void {
    if (this.stopping || child !== this.child) return;
    if (ranMs >= STABLE_RUN_MS) this.delay = FIRST_RESTART_DELAY_MS;
    this.options.log.error({ code, signal, restartInMs: this.delay }, 'Mosquitto exited; restarting it');
    this.restartTimer = setTimeout(() => void this.restart(), this.delay);
    this.delay = Math.min(this.delay * 2, MAX_RESTART_DELAY_MS);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.start();
      this.restarts++;
      this.options.log.warn({ pid: this.child?.pid, restarts: this.restarts }, 'Mosquitto restarted');
    } catch (error) {
      this.options.log.error({ err: (error as Error).message }, 'Mosquitto failed to restart');
      this.exited(this.child!, null, null, 0);
    }
  }
}

/** Resolves when the child says it runs; its later lines are logged as they come. */
function listening(child: ChildProcess, log: FastifyBaseLogger): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    let running = false;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (running) return logLines(log, chunk);
      said += chunk;
      if (!RUNNING.test(said)) return;
      running = true;
      child.off('exit', exitedEarly);
      resolve();
    });
    const exitedEarly = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`mosquitto exited (${signal ?? `code ${code}`}) before listening: ${said.trim() || 'it said nothing'}`));
    child.once('exit', exitedEarly);
    child.once('error', reject);
  });
}

function logLines(log: FastifyBaseLogger, chunk: string): void {
  for (const line of chunk.split('\n')) {
    if (line === '') continue;
    if (/error|warning/i.test(line)) log.warn({ mosquitto: line }, 'Mosquitto says');
    else log.debug({ mosquitto: line }, 'Mosquitto says');
  }
}
