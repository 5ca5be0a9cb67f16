import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A load generator in its own process, so it never shares the hub's event loop or the
 * bench's. It is driven by request/reply messages over IPC.
 */
export class Generator {
  private readonly child: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, (reply: unknown) => void>();

  constructor(name: string) {
    this.child = fork(new URL(`../generators/${name}.js`, import.meta.url).pathname, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: { id: number; reply: unknown }) => {
      this.waiting.get(message.id)?.(message.reply);
      this.waiting.delete(message.id);
    });
  }

  ask<T>(request: object): Promise<T> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, resolve as (reply: unknown) => void);
      this.child.once('exit', (code) => reject(new Error(`generator exited with ${code}`)));
      this.child.send({ id, request });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The generator side: answers each request with what `handle` returns. */
export function serve(handle: (request: Record<string, unknown>) => Promise<unknown>): void {
  process.on('message', (message: { id: number; request: Record<string, unknown> }) => {
    void handle(message.request).then(
      (reply) => process.send!({ id: message.id, reply }),
      (error: Error) => process.send!({ id: message.id, reply: { error: error.message } }),
    );
  });
  process.on('SIGTERM', () => process.exit(0));
}
