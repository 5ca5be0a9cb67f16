/**
 * One shared ticking clock for every "updated 12 s ago": elements subscribe while they are
 * in the page, and the interval runs only while someone is listening.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const TICK_MS = 1000;
const listeners = new Set<() => void>();
let timer: number | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= window.setInterval(() => listeners.forEach((l) => l()), TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Gives its host `now` and re-renders it every tick while connected. */
export class ClockController implements ReactiveController {
  now = Date.now();
  #unsubscribe: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.now = Date.now();
    this.#unsubscribe = subscribe(() => {
      this.now = Date.now();
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}
