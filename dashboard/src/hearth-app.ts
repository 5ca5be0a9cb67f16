import { LitElement, html, nothing } from 'lit';
import type { ServerMessage } from '../../hub/protocol/messages.js';
import { abilitiesOf, type Abilities } from './abilities.js';
import { call } from './api.js';
import { appHeader } from './app-header.js';
import { HubConnection, liveUrl, type ConnectionStatus } from './connection.js';
import type { DeviceCommandEvent, DeviceSettingsDetail } from './events.js';
import { FoundDevices } from './found-devices.js';
import { appStyles } from './hearth-app.styles.js';
import { forgetHome, loadHome, saveHome, SAVE_EVERY_MS } from './home-cache.js';
import { connectionLost, noDevices, unreachable } from './home-states.js';
import { LateCommands } from './late-commands.js';
import { commandSent, deviceForOwnCommand, deviceForRef, initialState, reduce, Store, type StoreState } from './store.js';
import './access-panel.js';
import './automations/automations-page.js';
import { ExtrasController } from './automations/extras-controller.js';
import './add-device.js';
import './device-panel.js';
import './account-panel.js';
import './home-view.js';
import './new-device.js';
import './rooms-panel.js';
import './sign-in.js';
import type { SignedInUser } from './sign-in.js';
import './toast-stack.js';
import { ERROR_TEXT, FAILURE_TEXT } from './wording.js';
import type { Toast } from './toast-stack.js';

const TOAST_MS = 6_000;

/** Whether someone is signed in: nothing of the home is fetched before. */
type Session = { phase: 'checking' } | { phase: 'onboarding' } | { phase: 'login' } | { phase: 'in'; user: SignedInUser | null };

/** The dialogs the root opens over the home, besides a device's page. */
type Dialog = 'access' | 'account' | 'rooms' | 'add-device' | null;

/**
 * The root: the only element that talks to the hub. It owns the connection and the store,
 * hands each card its device (data down) and sends what the controls ask for (events up).
 */
export class HearthApp extends LitElement {
  static override properties = {
    _session: { state: true },
    _state: { state: true },
    _status: { state: true },
    _toasts: { state: true },
    _details: { state: true },
    _dialog: { state: true },
    _found: { state: true },
  };
  static override styles = appStyles;

  declare _session: Session;
  declare _state: StoreState;
  declare _status: ConnectionStatus;
  declare _toasts: readonly Toast[];
  /** The device whose page is open, if any. */
  declare _details: string | null;
  declare _dialog: Dialog;
  /** Devices that announced themselves while this page was open, not yet named or placed. */
  declare _found: FoundDevices;

  readonly #store = new Store();
  readonly #late = new LateCommands();
  /** Scenes, automations, runs, notifications and the page shown (automations/extras-controller.ts). */
  readonly #extras = new ExtrasController(this, (text) => this.#toast(text));
  #connection: HubConnection | null = null;
  readonly #cleanups: (() => void)[] = [];
  readonly #timers = new Set<number>();
  #nextRef = 0;
  #nextToast = 0;
  /** What opened the device page, to give the focus back when it closes. */
  #opener: HTMLElement | null = null;

  constructor() {
    super();
    this._session = { phase: 'checking' };
    this._state = initialState;
    this._status = 'connecting';
    this._toasts = [];
    this._details = null;
    this._dialog = null;
    this._found = FoundDevices.none;
    this.addEventListener('device-command', (event) => this.#onCommand(event));
    this.addEventListener('device-details', (event) => {
      this.#opener = deepActiveElement();
      this._details = event.detail;
    });
    this.addEventListener('device-settings', (event) => void this.#onSettings(event.detail));
    this.addEventListener('manage-rooms', () => (this._dialog = 'rooms'));
    this.addEventListener('add-device', () => (this._dialog = 'add-device'));
    this.addEventListener('signed-in', (event) => {
      this._session = { phase: 'in', user: event.detail };
      this.#connection?.start();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const connection = new HubConnection(liveUrl(window.location));
    this.#connection = connection;
    // Back online or back in view: try at once rather than wait out the delay.
    const retry = () => document.visibilityState === 'visible' && connection.retryNow();
    window.addEventListener('online', retry);
    document.addEventListener('visibilitychange', retry);
    this.#cleanups.push(
      this.#store.subscribe((state) => {
        this._state = state;
        this.#keepHome(state);
      }),
      connection.on('status', (status) => {
        this._status = status;
        // A socket that will not open may mean the session ended (signed out elsewhere, revoked).
        if (status === 'reconnecting' || status === 'unreachable') void this.#checkSession();
      }),
      connection.on('message', (message) => this.#onMessage(message)),
      // Signed out elsewhere, revoked, or given another role: ask the hub who we are now.
      connection.on('access', () => void this.#checkSession()),
      () => window.removeEventListener('online', retry),
      () => document.removeEventListener('visibilitychange', retry),
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
    this._dialog = null;
    void this.#checkSession();
  }

  #lastSaved = 0;
  /** Keeps the home for when the hub is unreachable: at once for the first snapshot, then now and then. */
  #keepHome(state: StoreState): void {
    const now = Date.now();
    if (!state.loaded || now - this.#lastSaved < SAVE_EVERY_MS) return;
    this.#lastSaved = now;
    saveHome(state, now);
  }

  async #signOut(): Promise<void> {
    forgetHome();
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
      if (device && message.command.reason !== 'publish-failed') this.#late.missed(message.command);
    }
    const before = this.#store.state;
    this.#store.update((state) => reduce(state, message));
    if (message.type === 'state') this.#sayIfLate(message.id);
    this._found = this._found.after(before, this.#store.state, message);
    this.#extras.onMessage(message);
  }

  /** A report that carries out a command which "did not confirm": the state shown is real, and this says why. */
  #sayIfLate(id: string): void {
    const device = this.#store.state.devices.get(id);
    const late = device && this.#late.applied(device, Date.now());
    if (late) this.#toast(`${device.name} applied the change late, ${(late.afterMs / 1000).toFixed(1)} s after it was sent.`);
  }

  #onCommand(event: DeviceCommandEvent): void {
    event.stopPropagation();
    const { id, command } = event.detail;
    this.#late.forget(id);
    const ref = `c${++this.#nextRef}`;
    if (!this.#connection?.send({ type: 'command', ref, id, command })) {
      this.#toast('Not connected to the hub. Trying again; please retry in a moment.');
      return;
    }
    this.#store.update((state) => commandSent(state, { ref, id, command }));
  }

  async #onSettings({ id, change, settled }: DeviceSettingsDetail): Promise<void> {
    const { remove, newRoom, ...patch } = change;
    if (newRoom !== undefined) {
      // An existing room of that name (any case or spacing) is that room.
      const room = await call<{ id: string }>('POST', 'rooms', { name: newRoom });
      if (!room.ok) return (settled?.(false), this.#toast(`Could not add the room ${newRoom}. ${room.reason}`));
      patch.room = room.value.id;
    }
    const path = `devices/${encodeURIComponent(id)}`;
    const outcome = remove ? await call('DELETE', path) : await call('PATCH', path, patch);
    settled?.(outcome.ok);
    if (!outcome.ok) return this.#toast(`Could not ${remove ? 'remove' : 'change'} the device. ${outcome.reason}`);
    if (remove) this.#closeDetails();
  }

  #closeDetails(): void {
    this._details = null;
    // The page is gone with its dialog, which would have given the focus back itself.
    void this.updateComplete.then(() => this.#opener?.isConnected && this.#opener.focus());
  }

  get #abilities(): Abilities {
    return abilitiesOf(this._session.phase === 'in' ? this._session.user?.role : undefined);
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
      ${this.#renderDialogs()}
    `;
  }

  #renderHeader() {
    // Signing in: the form has the logo and the name; the header would say them twice.
    if (this._session.phase !== 'in') return nothing;
    return appHeader({
      status: this._status,
      state: this._state,
      user: this._session.user,
      abilities: this.#abilities,
      openAccess: () => (this._dialog = 'access'),
      openAccount: () => (this._dialog = 'account'),
      signOut: () => void this.#signOut(),
      pages: {
        page: this.#extras.page,
        unread: this.#extras.extras.unread,
        switchPage: () => this.#extras.switchPage(),
        turnAllOff: this.#abilities.control ? () => void this.#extras.turnAllOff(this._state.devices) : null,
      },
    });
  }

  #renderMain() {
    const session = this._session;
    if (session.phase === 'onboarding' || session.phase === 'login') return html`<hearth-sign-in .mode=${session.phase}></hearth-sign-in>`;
    if (session.phase === 'checking') return this.#renderLoading();
    if (this.#extras.page === 'automations' && this._state.loaded) {
      const { control, admin } = this.#abilities;
      return html`<hearth-automations-page .extras=${this.#extras.extras} .devices=${this._state.devices} .rooms=${this._state.rooms} ?canControl=${control} ?canEdit=${admin}></hearth-automations-page>`;
    }
    return this.#renderContent();
  }

  #renderContent() {
    const state = this._state;
    const retry = () => this.#connection?.retryNow();
    if (!state.loaded && this._status !== 'connecting') return unreachable(loadHome(), retry);
    if (!state.loaded) return this.#renderLoading();
    const stale = this._status === 'live' ? nothing : connectionLost(retry);
    if (state.devices.size === 0) return html`${stale}${noDevices(this.#abilities.admin ? () => (this._dialog = 'add-device') : null)}`;
    const lookOnly = this.#abilities.control ? nothing : html`<p class="note">You can look at the home; switching devices needs a household member's account.</p>`;
    return html`${stale}${lookOnly}<hearth-home .state=${state} .abilities=${this.#abilities} .scenes=${this.#extras.extras.scenes}></hearth-home>`;
  }

  /**
   * The open dialogs, and the toasts inside the topmost one (slotted into its dialog): outside
   * it they would sit under its backdrop, inert, where nobody can read or dismiss them.
   */
  #renderDialogs() {
    const device = this._details === null ? undefined : this._state.devices.get(this._details);
    const close = () => (this._dialog = null);
    const found = this.#abilities.admin ? this._found.first(this._state) : undefined;
    const toasts = html`<hearth-toast-stack .toasts=${this._toasts} @dismiss=${(e: CustomEvent<number>) => this.#dismiss(e.detail)}></hearth-toast-stack>`;
    const top = found ? 'found' : this._dialog ?? (device ? 'device' : 'none');
    const inside = (name: typeof top) => (top === name ? toasts : nothing);
    return html`
      ${device
        ? html`<hearth-device-panel .device=${device} .rooms=${this._state.rooms} ?canEdit=${this.#abilities.admin} @close=${() => this.#closeDetails()}>${inside('device')}</hearth-device-panel>`
        : nothing}
      ${this._dialog === 'access' ? html`<hearth-access-panel @close=${close}>${inside('access')}</hearth-access-panel>` : nothing}
      ${this._dialog === 'account' && this._session.phase === 'in' && this._session.user
        ? html`<hearth-account-panel .user=${this._session.user} @close=${() => this.#closeAccount()}>${inside('account')}</hearth-account-panel>`
        : nothing}
      ${this._dialog === 'rooms' ? html`<hearth-rooms-panel .rooms=${this._state.rooms} .devices=${this._state.devices} @close=${close}>${inside('rooms')}</hearth-rooms-panel>` : nothing}
      ${this._dialog === 'add-device' ? html`<hearth-add-device @close=${close}>${inside('add-device')}</hearth-add-device>` : nothing}
      ${found
        ? html`<hearth-new-device .device=${found} .rooms=${this._state.rooms} waiting=${this._found.size - 1} @dismiss=${() => (this._found = this._found.without(found.id))}
            >${inside('found')}</hearth-new-device
          >`
        : nothing}
      ${inside('none')}
    `;
  }

  #renderLoading() {
    return html`
      <section aria-busy="true" aria-label="Loading devices">
        <div class="grid">${[0, 1, 2].map(() => html`<div class="skeleton"></div>`)}</div>
      </section>
    `;
  }
}

/** The focused element, looking inside shadow roots (the card's name button, not the card). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

customElements.define('hearth-app', HearthApp);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-app': HearthApp;
  }
}
