import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { GroupReport } from '../../../hub/protocol/automations.js';
import type { Device } from '../../../hub/protocol/device.js';
import type { ServerMessage } from '../../../hub/protocol/messages.js';
import { emptyExtras, loadExtras, loadTraces, reduceExtras, send, type HomeExtras } from './home-store.js';
import { describeReport } from './reports.js';

export type Page = 'home' | 'automations';

/**
 * The root's share of scenes, automations, runs and notifications: which page is shown, the
 * extras kept current from the hub's messages, and the toasts the automation elements ask for.
 * Kept here so the root only forwards its messages and renders what this holds.
 */
export class ExtrasController implements ReactiveController {
  extras: HomeExtras = emptyExtras;
  page: Page = 'home';

  readonly #host: ReactiveControllerHost;
  readonly #toast: (text: string) => void;

  constructor(host: ReactiveControllerHost & HTMLElement, toast: (text: string) => void) {
    this.#host = host;
    this.#toast = toast;
    host.addController(this);
    host.addEventListener('hearth-toast', (event) => toast(event.detail));
    host.addEventListener('load-traces', (event) => void loadTraces(this.extras, event.detail).then((extras) => this.#set(extras)));
    host.addEventListener('notifications-cleared', () => this.#set({ ...this.extras, notifications: [], unread: 0 }));
  }

  hostConnected(): void {}

  #set(extras: HomeExtras): void {
    this.extras = extras;
    this.#host.requestUpdate();
  }

  onMessage(message: ServerMessage): void {
    const before = this.extras;
    this.#set(reduceExtras(before, message));
    // A new notification shows on every open dashboard (a replayed one is already listed).
    if (message.type === 'notification' && this.extras !== before) this.#toast(message.notification.message);
    // Starting over or resuming: what changed meanwhile is read back from the REST API.
    if (message.type === 'snapshot' || message.type === 'resumed') void loadExtras(this.extras).then((extras) => this.#set(extras));
  }

  /** Home ⇄ Automations; opening the automations page marks the notifications read. */
  switchPage(): void {
    this.page = this.page === 'home' ? 'automations' : 'home';
    this.#set(this.page === 'automations' ? { ...this.extras, unread: 0 } : this.extras);
  }

  async turnAllOff(devices: ReadonlyMap<string, Device>): Promise<void> {
    const outcome = await send<GroupReport>('POST', 'home/lights', { on: false });
    this.#toast(outcome.ok ? describeReport('All lights off', outcome.value, devices) : `All lights off: ${outcome.reason}`);
  }
}
