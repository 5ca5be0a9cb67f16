import type { AccessChange, Principal } from './accounts.js';

/** How an open stream is ended when its principal's access ends or shrinks. */
export type EndStream = (reason: AccessChange['reason']) => void;

/**
 * The hub's long-lived connections (WebSocket, Server-Sent Events, long polls), each with
 * who opened it. A request is checked once, when it starts: without this a token revoked or
 * a user removed would keep every stream opened before, events and commands included.
 */
export class OpenStreams {
  private readonly open = new Map<symbol, { principal: Principal; end: EndStream }>();

  /** Keeps `end` for this stream until the returned function is called (the stream closed). */
  add(principal: Principal, end: EndStream): () => void {
    const key = Symbol('stream');
    this.open.set(key, { principal, end });
    return () => this.open.delete(key);
  }

  /** Ends every stream `change` matches, at once; returns how many. */
  end(change: AccessChange): number {
    let ended = 0;
    for (const [key, stream] of this.open) {
      if (!change.matches(stream.principal)) continue;
      this.open.delete(key);
      stream.end(change.reason);
      ended++;
    }
    return ended;
  }

  get size(): number {
    return this.open.size;
  }
}
