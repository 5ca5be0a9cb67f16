import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Device } from '../../hub/protocol/device.js';
import type { CommandFailure, ServerMessage } from '../../hub/protocol/messages.js';
import { KIND_ORDER, KINDS, renderCard } from './cards/index.js';
import { HubConnection, liveUrl, type ConnectionStatus } from './connection.js';
import type { DeviceCommandEvent, DeviceSettingsDetail } from './events.js';
import { appStyles } from './hearth-app.styles.js';
import { refusalReason } from './refusal.js';
import { icon } from './icons.js';
import { commandSent, deviceForOwnCommand, deviceForRef, initialState, reduce, Store, summarize, type StoreState } from './store.js';
import './access-panel.js';
import './device-panel.js';
import './account-panel.js';
import './sign-in.js';
import type { SignedInUser } from './sign-in.js';
import './toast-stack.js';
import type { Toast } from './toast-stack.js';

const TOAST_MS = 6_000;

const STATUS_TEXT: Readonly<Record<ConnectionStatus, string>> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  unreachable: 'Hub unreachable',
};

/** Friendlier words for the hub's error codes; others show the hub's own message. */
const ERROR_TEXT: Readonly<Record<string, (name: string) => string>> = {
  DEVICE_OFFLINE: (name) => `${name} is offline, so it can't be changed right now.`,
  DEVICE_NOT_FOUND: (name) => `${name} is no longer known to the hub.`,
  FORBIDDEN: (name) => `Your account may look at ${name} but not change it.`,
};

/** Whether someone is signed in: nothing of the home is fetched before. */
type Session = { phase: 'checking' } | { phase: 'onboarding' } | { phase: 'login' } | { phase: 'in'; user: SignedInUser | null };

/** Why a command this dashboard sent failed after the hub accepted it. */
const FAILURE_TEXT: Readonly<Record<CommandFailure, (name: string) => string>> = {
  offline: (name) => `${name} went offline before confirming the change.`,
  timeout: (name) => `${name} did not confirm the change.`,
  'publish-failed': (name) => `Hearth could not reach ${name}.`,
};

/** What the toolbar narrows the home view to. */
interface Filter {
  text: string;
  kind: Device['kind'] | '';
  room: string;
  onlineOnly: boolean;
}

const NO_FILTER: Filter = { text: '', kind: '', room: '', onlineOnly: false };
const filtering = (f: Filter) => f.text !== '' || f.kind !== '' || f.room !== '' || f.onlineOnly;

function matches(d: Device, f: Filter): boolean {
  return (
    (f.text === '' || d.name.toLowerCase().includes(f.text.trim().toLowerCase())) &&
    (f.kind === '' || d.kind === f.kind) &&
    (f.room === '' || d.room === f.room) &&
    (!f.onlineOnly || d.online)
  );
}

/** The user's order first, then by name. */
const byOrder = (a: Device, b: Device) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.name.localeCompare(b.name);

/**
 * The root: the only element that talks to the hub. It owns the connection and the store,
 * hands each card its device (data down) and sends what the controls ask for (events up).
 */
export class HearthApp extends LitElement {
  static override properties = { _session: { state: true }, _state: { state: true }, _status: { state: true }, _toasts: { state: true }, _details: { state: true }, _filter: { state: true }, _access: { state: true }, _account: { state: true } };
  static override styles = appStyles;

  declare _session: Session;
  declare _state: StoreState;
  declare _status: ConnectionStatus;
  declare _toasts: readonly Toast[];
  /** The device whose page is open, if any. */
  declare _details: string | null;
  declare _filter: Filter;
  /** The access page (people, tokens, device credentials) is open. */
  declare _access: boolean;
  declare _account: boolean;

  readonly #store = new Store();
  #connection: HubConnection | null = null;
  readonly #cleanups: (() => void)[] = [];
  readonly #timers = new Set<number>();
  #nextRef = 0;
  #nextToast = 0;

  constructor() {
    super();
    this._session = { phase: 'checking' };
    this._state = initialState;
    this._status = 'connecting';
    this._toasts = [];
    this._details = null;
    this._filter = NO_FILTER;
    this._access = false;
    this._account = false;
    this.addEventListener('device-command', (event) => this.#onCommand(event));
    this.addEventListener('device-details', (event) => (this._details = event.detail));
    this.addEventListener('device-settings', (event) => void this.#onSettings(event.detail));
    this.addEventListener('signed-in', (event) => {
      this._session = { phase: 'in', user: event.detail };
      this.#connection?.start();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const connection = new HubConnection(liveUrl(window.location));
    this.#connection = connection;
    const retry = () => connection.retryNow();
    window.addEventListener('online', retry);
    this.#cleanups.push(
      this.#store.subscribe((state) => (this._state = state)),
      connection.on('status', (status) => {
        this._status = status;
        // A socket that will not open may mean the session ended (signed out elsewhere, revoked).
        if (status === 'reconnecting' || status === 'unreachable') void this.#checkSession();
      }),
      connection.on('message', (message) => this.#onMessage(message)),
      // Signed out elsewhere, revoked, or given another role: ask the hub who we are now.
      connection.on('access', () => void this.#checkSession()),
      () => window.removeEventListener('online', retry),
      () => connection.stop(),
    );
    void this.#checkSession();
  }

  #checking = false;
  /** Asks the hub who we are; starts the live connection when signed in, a form when not. */
  async #checkSession(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    const status = await fetch(new URL('api/auth/status', document.baseURI))
      .then((r) => (r.ok ? (r.json() as Promise<{ onboarded: boolean; user: SignedInUser | null }>) : null))
      .catch(() => null);
    this.#checking = false;
    if (!this.#connection) return;
    if (!status) {
      // Hub unreachable: keep trying the socket; the page says so meanwhile.
      if (this._session.phase === 'checking') this._session = { phase: 'in', user: null };
      this.#connection.start();
    } else if (status.user) {
      this._session = { phase: 'in', user: status.user };
      this.#connection.start();
    } else {
      this.#connection.stop();
      this._session = { phase: status.onboarded ? 'login' : 'onboarding' };
    }
  }

  /** A password, the sessions or the role may have changed: ask the hub who we are now. */
  #closeAccount(): void {
    this._account = false;
    void this.#checkSession();
  }

  async #signOut(): Promise<void> {
    await fetch(new URL('api/auth/logout', document.baseURI), { method: 'POST' }).catch(() => null);
    this.#connection?.stop();
    this._details = null;
    this._session = { phase: 'login' };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#cleanups.splice(0).forEach((cleanup) => cleanup());
    this.#timers.forEach((timer) => window.clearTimeout(timer));
    this.#timers.clear();
    this.#connection = null;
  }

  #onMessage(message: ServerMessage): void {
    // Who a failure concerns is looked up before the reducer forgets the command.
    if (message.type === 'error') {
      const device = message.ref === undefined ? undefined : deviceForRef(this.#store.state, message.ref);
      const friendly = device && ERROR_TEXT[message.code];
      this.#toast(friendly ? friendly(device.name) : device ? `${device.name}: ${message.message}` : message.message);
    } else if (message.type === 'command' && message.command.status === 'failed') {
      const device = deviceForOwnCommand(this.#store.state, message.command);
      if (device) this.#toast(FAILURE_TEXT[message.command.reason ?? 'timeout'](device.name));
    }
    this.#store.update((state) => reduce(state, message));
  }

  #onCommand(event: DeviceCommandEvent): void {
    event.stopPropagation();
    const { id, command } = event.detail;
    const ref = `c${++this.#nextRef}`;
    if (!this.#connection?.send({ type: 'command', ref, id, command })) {
      this.#toast('Not connected to the hub. Trying again; please retry in a moment.');
      return;
    }
    this.#store.update((state) => commandSent(state, { ref, id, command }));
  }

  async #onSettings({ id, change }: DeviceSettingsDetail): Promise<void> {
    const url = new URL(`api/devices/${encodeURIComponent(id)}`, document.baseURI);
    const { remove, newRoom, ...patch } = change;
    if (newRoom !== undefined) {
      const created = await fetch(new URL('api/rooms', document.baseURI), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: newRoom }) }).catch(() => null);
      if (!created?.ok) return this.#toast(`Could not add the room ${newRoom}.`);
      patch.room = ((await created.json()) as { id: string }).id;
    }
    const response = await fetch(url, remove ? { method: 'DELETE' } : { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) }).catch(() => null);
    if (!response?.ok) {
      this.#toast(`Could not ${remove ? 'remove' : 'change'} the device: ${await refusalReason(response)}`);
      return;
    }
    if (remove) this._details = null;
  }

  #toast(text: string): void {
    const toast = { id: ++this.#nextToast, text };
    this._toasts = [...this._toasts.slice(-2), toast];
    this.#later(TOAST_MS, () => this.#dismiss(toast.id));
  }

  #dismiss(id: number): void {
    this._toasts = this._toasts.filter((t) => t.id !== id);
  }

  #later(ms: number, callback: () => void): void {
    const timer = window.setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
  }

  override render() {
    return html`
      ${this.#renderHeader()}
      <main>${this.#renderMain()}</main>
      ${this.#renderDetails()}
      ${this._access ? html`<hearth-access-panel @close=${() => (this._access = false)}></hearth-access-panel>` : nothing}
      ${this._account && this._session.phase === 'in' && this._session.user
        ? html`<hearth-account-panel .user=${this._session.user} @close=${() => this.#closeAccount()}></hearth-account-panel>`
        : nothing}
      <hearth-toast-stack .toasts=${this._toasts} @dismiss=${(e: CustomEvent<number>) => this.#dismiss(e.detail)}></hearth-toast-stack>
    `;
  }

  #renderHeader() {
    const status = this._status;
    const { total, online, lightsOn } = summarize(this._state);
    const summary = this._state.loaded
      ? `${lightsOn === 0 ? 'All lights off' : `${lightsOn} ${lightsOn === 1 ? 'light' : 'lights'} on`} · ${online} of ${total} online`
      : 'Your home, live';
    return html`
      <header>
        <div class="bar">
          <span class="logo">${icon('flame')}</span>
          <div class="brand">
            <h1>Hearth</h1>
            <p class="summary">${summary}</p>
          </div>
          ${this._session.phase === 'in'
            ? html`<div class="status ${status}" role="status" data-testid="connection-status" data-status=${status}>
                <span class="dot" aria-hidden="true"></span>${STATUS_TEXT[status]}
              </div>`
            : nothing}
          ${this._session.phase === 'in' && (this._session.user?.role === 'owner' || this._session.user?.role === 'admin')
            ? html`<button class="header-button" @click=${() => (this._access = true)}>Access</button>`
            : nothing}
          ${this._session.phase === 'in' && this._session.user
            ? html`<button class="header-button" @click=${() => (this._account = true)}>Account</button>`
            : nothing}
          ${this._session.phase === 'in' && this._session.user
            ? html`<button class="header-button" @click=${() => void this.#signOut()} title="Signed in as ${this._session.user.username}">Sign out</button>`
            : nothing}
        </div>
      </header>
    `;
  }

  #renderMain() {
    const session = this._session;
    if (session.phase === 'onboarding' || session.phase === 'login') return html`<hearth-sign-in .mode=${session.phase}></hearth-sign-in>`;
    if (session.phase === 'checking') return this.#renderLoading();
    return this.#renderContent();
  }

  #renderContent() {
    const state = this._state;
    if (!state.loaded && this._status !== 'connecting') {
      // The page came from the cache (installed app, or the hub is down): say so, keep trying.
      return html`<div class="empty" data-testid="hub-unreachable">
        <span class="empty-icon">${icon('flame')}</span>
        <h2>Hub unreachable</h2>
        <p>Hearth keeps trying to reach your hub and will show your home as soon as it answers.</p>
      </div>`;
    }
    if (!state.loaded) return this.#renderLoading();
    const stale =
      this._status === 'live' ? nothing : html`<p class="notice">Connection lost. Showing the last known state while Hearth reconnects.</p>`;
    if (state.devices.size === 0) {
      return html`${stale}
        <div class="empty">
          <span class="empty-icon">${icon('bulb')}</span>
          <h2>No devices yet</h2>
          <p>Devices appear here as soon as they announce themselves over MQTT (Home Assistant discovery).</p>
        </div>`;
    }
    const visible = [...state.devices.values()].filter((d) => matches(d, this._filter)).sort(byOrder);
    const favourites = visible.filter((d) => d.favourite);
    const groups: { id: string; title: string; devices: Device[] }[] = state.rooms.length
      ? [
          ...state.rooms.map((room) => ({ id: `room-${room.id}`, title: room.name, devices: visible.filter((d) => d.room === room.id) })),
          { id: 'room-none', title: 'Other devices', devices: visible.filter((d) => d.room === null || !state.rooms.some((r) => r.id === d.room)) },
        ]
      : KIND_ORDER.map((kind) => ({ id: `kind-${kind}`, title: KINDS[kind].title, devices: visible.filter((d) => d.kind === kind) }));
    const section = (id: string, title: string, devices: Device[]) =>
      devices.length === 0
        ? nothing
        : html`
            <section aria-labelledby="section-${id}">
              <h2 id="section-${id}">${title} <span class="count">${devices.length}</span></h2>
              <div class="grid">${repeat(devices, (d) => d.id, (d) => renderCard(d, state.pending.get(d.id), state.confirmations.get(d.id)))}</div>
            </section>
          `;
    return html`${stale}${this.#renderToolbar(state)}
      ${favourites.length && !filtering(this._filter) ? section('favourites', 'Favourites', favourites) : nothing}
      ${groups.map((g) => section(g.id, g.title, g.devices))}
      ${visible.length === 0 ? html`<p class="notice">No device matches.</p>` : nothing}`;
  }

  #renderToolbar(state: StoreState) {
    const f = this._filter;
    const set = (change: Partial<Filter>) => (this._filter = { ...f, ...change });
    return html`
      <form class="toolbar" role="search" @submit=${(e: Event) => e.preventDefault()}>
        <input type="search" aria-label="Search devices" placeholder="Search devices" .value=${f.text} @input=${(e: Event) => set({ text: (e.target as HTMLInputElement).value })} />
        <select aria-label="Kind" @change=${(e: Event) => set({ kind: (e.target as HTMLSelectElement).value as Filter['kind'] })}>
          <option value="">All kinds</option>
          ${KIND_ORDER.map((k) => html`<option value=${k} ?selected=${f.kind === k}>${KINDS[k].title}</option>`)}
        </select>
        ${state.rooms.length
          ? html`<select aria-label="Room" @change=${(e: Event) => set({ room: (e.target as HTMLSelectElement).value })}>
              <option value="">All rooms</option>
              ${state.rooms.map((r) => html`<option value=${r.id} ?selected=${f.room === r.id}>${r.name}</option>`)}
            </select>`
          : nothing}
        <label class="check"><input type="checkbox" .checked=${f.onlineOnly} @change=${(e: Event) => set({ onlineOnly: (e.target as HTMLInputElement).checked })} /> Online only</label>
      </form>
    `;
  }

  #renderDetails() {
    const device = this._details === null ? undefined : this._state.devices.get(this._details);
    if (!device) return nothing;
    return html`<hearth-device-panel .device=${device} .rooms=${this._state.rooms} @close=${() => (this._details = null)}></hearth-device-panel>`;
  }

  #renderLoading() {
    return html`
      <section aria-busy="true" aria-label="Loading devices">
        <div class="grid">${[0, 1, 2].map(() => html`<div class="skeleton"></div>`)}</div>
      </section>
    `;
  }
}

customElements.define('hearth-app', HearthApp);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-app': HearthApp;
  }
}
