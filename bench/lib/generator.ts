import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { withTimeout } from './time.js';

/** No single request to a generator (connecting thousands of clients included) takes longer. */
const ASK_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * A load generator in its own process, so it never shares the hub's event loop or the
 * bench's. It is driven by request/reply messages over IPC.
 */
export class Generator {
  private readonly child: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (reply: unknown) => void; reject: (error: Error) => void }>();

  constructor(name: string) {
    this.child = fork(new URL(`../generators/${name}.js`, import.meta.url).pathname, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: { id: number; reply?: unknown; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(`generator ${name}: ${message.error}`));
      else waiter?.resolve(message.reply);
    });
    this.child.once('exit', (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`generator ${name} exited with ${code}`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  ask<T>(request: object, timeoutMs = ASK_TIMEOUT_MS): Promise<T> {
    const id = this.next++;
    const reply = new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (reply: unknown) => void, reject });
      this.child.send({ id, request });
    });
    return withTimeout(reply, timeoutMs, `generator reply to ${JSON.stringify(request).slice(0, 80)}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await withTimeout(exited, STOP_TIMEOUT_MS, 'a generator to exit').catch(() => this.child.kill('SIGKILL'));
  }
}

/** Asks every generator the same kind of question, each with its own share of the load. */
export function askAll<T>(generators: readonly Generator[], request: (index: number) => object, timeoutMs?: number): Promise<T[]> {
  return Promise.all(generators.map((g, i) => g.ask<T>(request(i), timeoutMs)));
}

/** `count` items spread over processes of at most `perProcess` each. */
export function spread(count: number, perProcess: number): number[] {
  return Array.from({ length: Math.ceil(count / perProcess) }, (_, i) => Math.min(perProcess, count - i * perProcess));
}

/** The generator side: answers each request with what `handle` returns, or the error it threw. */
export function serve(handle: (request: Record<string, unknown>) => Promise<unknown>): void {
  process.on('message', (message: { id: number; request: Record<string, unknown> }) => {
    void handle(message.request).then(
      (reply) => process.send!({ id: message.id, reply }),
      (error: Error) => process.send!({ id: message.id, error: error.message }),
    );
  });
  process.on('SIGTERM', () => process.exit(0));
  // Orphaned by a crashed bench, a generator must not keep loading the machine.
  process.on('disconnect', () => process.exit(0));
}
