import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../hub/protocol/messages.js';
import { EVENT_TIMEOUT_MS } from './wait.js';

/**
 * A real WebSocket client of /api/ws that keeps every message, so a test can wait for
 * one that may already have arrived.
 */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  private cursor = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.waiters) wake();
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<LiveClient> {
    const socket = new WebSocket(url, { headers });
    const client = new LiveClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(message: ClientMessage | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message (after the previous match) satisfying `predicate`. */
  next<T extends ServerMessage['type']>(
    type: T,
    predicate: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (; this.cursor < this.messages.length; this.cursor++) {
          const m = this.messages[this.cursor]!;
          if (m.type === type && predicate(m as Extract<ServerMessage, { type: T }>)) {
            this.cursor++;
            done();
            resolve(m as Extract<ServerMessage, { type: T }>);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for a '${type}' message; last got ${JSON.stringify(this.messages.slice(-3)).slice(0, 500)}`));
      }, EVENT_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.socket.close();
  }
}
