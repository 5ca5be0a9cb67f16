/**
 * The dashboard's one WebSocket to the hub, at /api/ws on the page's own origin. It
 * reconnects on its own, with exponential backoff and jitter so that many dashboards do not
 * all knock at once after the hub restarts, and resumes after the last event it saw
 * (`?since=<seq>`): the hub replays what was missed, or sends a fresh snapshot.
 */
import { CLOSE_ROLE_CHANGED, CLOSE_SIGNED_OUT, type ClientMessage, type ServerMessage } from '../../hub/protocol/messages.js';

/** `unreachable`: never connected yet and the last try failed (e.g. the app opened from its cache). */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'unreachable';

export interface ConnectionEvents {
  status: ConnectionStatus;
  message: ServerMessage;
  /**
   * The hub closed the socket because the sign-in ended (`signed-out`: the connection stops
   * until started again) or the account's role changed (`role-changed`: it reconnects at once).
   */
  access: 'signed-out' | 'role-changed';
}

/** The parts of the browser the connection uses, replaceable in tests. */
export interface ConnectionDeps {
  createSocket: (url: string) => WebSocket;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random: () => number;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * Capped at 5 s: after an outage a page is back within about 5 s of the hub, not the 30 s a
 * longer cap let the delay grow to; the jitter still spreads many dashboards out.
 */
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 5_000 };

/** ws: or wss: to match the page, so it works behind TLS without configuration. */
export function liveUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/ws`;
}

/** Delay before reconnect attempt `attempt` (0-based): doubling, capped, with "equal jitter". */
export function backoffDelay(attempt: number, random: number, { initialMs, maxMs }: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

function browserDeps(): ConnectionDeps {
  return {
    createSocket: (url) => new WebSocket(url),
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    random: Math.random,
  };
}

type Listener<K extends keyof ConnectionEvents> = (value: ConnectionEvents[K]) => void;

export class HubConnection {
  #status: ConnectionStatus = 'connecting';
  #socket: WebSocket | null = null;
  #attempt = 0;
  #retryTimer: unknown = null;
  #stopped = true;
  /** Sequence number of the last event seen, to resume from. */
  #seq: number | undefined;
  readonly #listeners: { [K in keyof ConnectionEvents]: Set<Listener<K>> } = { status: new Set(), message: new Set(), access: new Set() };

  constructor(
    private readonly url: string,
    private readonly deps: ConnectionDeps = browserDeps(),
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  get status(): ConnectionStatus {
    return this.#status;
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: Listener<K>): () => void {
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.deps.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000, 'dashboard closed');
  }

  /** Skips the remaining backoff, e.g. when the browser says the network is back. */
  retryNow(): void {
    if (this.#stopped || this.#socket) return;
    this.deps.clearTimeout(this.#retryTimer);
    this.#open();
  }

  /** Sends a command; false when there is no live connection to send it on. */
  send(message: ClientMessage): boolean {
    if (this.#status !== 'live' || !this.#socket) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  #open(): void {
    this.#retryTimer = null;
    const socket = this.deps.createSocket(this.#seq === undefined ? this.url : `${this.url}?since=${this.#seq}`);
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket) return;
      const message = parse(event.data);
      if (!message) return;
      if ('seq' in message) this.#seq = message.seq;
      this.#emit('message', message);
      // Live once caught up: after the snapshot, or after the replay of missed events.
      if (message.type === 'snapshot' || message.type === 'resumed') {
        this.#attempt = 0;
        this.#setStatus('live');
      }
    });
    // Every failure ends in `close`, including a connection that never opened.
    socket.addEventListener('close', (event: { code?: number }) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#stopped) return;
      if (event.code === CLOSE_SIGNED_OUT) {
        this.stop();
        this.#setStatus('connecting');
        return this.#emit('access', 'signed-out');
      }
      if (event.code === CLOSE_ROLE_CHANGED) {
        this.#emit('access', 'role-changed');
        return this.#open();
      }
      // Lost after being live: reconnecting. Never reached at all: unreachable, until it answers.
      if (this.#status === 'live') this.#setStatus('reconnecting');
      else if (this.#status === 'connecting') this.#setStatus('unreachable');
      const delay = backoffDelay(this.#attempt++, this.deps.random(), this.backoff);
      this.#retryTimer = this.deps.setTimeout(() => this.#open(), delay);
    });
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#emit('status', status);
  }

  #emit<K extends keyof ConnectionEvents>(event: K, value: ConnectionEvents[K]): void {
    for (const listener of this.#listeners[event]) listener(value);
  }
}

/** The hub only sends JSON text envelopes; anything else is ignored rather than trusted. */
function parse(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message: unknown = JSON.parse(data);
    return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' ? (message as ServerMessage) : null;
  } catch {
    return null;
  }
}
