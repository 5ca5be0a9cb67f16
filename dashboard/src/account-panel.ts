import { LitElement, css, html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { listStyles, panelStyles } from './panel.styles.js';
import { refusalReason } from './refusal.js';
import './relative-time.js';
import type { SignedInUser } from './sign-in.js';

interface Session {
  id: string;
  createdAt: number;
  address: string | null;
  userAgent: string | null;
  current: boolean;
}
interface Person {
  id: string;
  username: string;
  role: string;
}

const api = (path: string) => new URL(`api/${path}`, document.baseURI);
const json = { 'content-type': 'application/json' };

/**
 * The signed-in person's own account: a new password, where they are signed in (and signing
 * out there), and for the owner, handing the home over to someone else. With these a leaked
 * password or cookie is made useless from the dashboard.
 */
export class HearthAccountPanel extends LitElement {
  static override properties = { user: { attribute: false }, _sessions: { state: true }, _people: { state: true }, _error: { state: true }, _note: { state: true } };

  declare user: SignedInUser;
  declare _sessions: readonly Session[];
  declare _people: readonly Person[];
  declare _error: string | null;
  declare _note: string | null;
  readonly #dialog = createRef<HTMLDialogElement>();

  constructor() {
    super();
    this._sessions = [];
    this._people = [];
    this._error = null;
    this._note = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override firstUpdated(): void {
    this.#dialog.value?.showModal();
  }

  async #load(): Promise<void> {
    const read = <T,>(path: string) => fetch(api(path)).then((r) => (r.ok ? (r.json() as Promise<T[]>) : [])).catch(() => [] as T[]);
    [this._sessions, this._people] = await Promise.all([read<Session>('auth/sessions'), this.user.role === 'owner' ? read<Person>('users') : Promise.resolve([])]);
  }

  /** Sends a change; on success says so, reloads the lists and returns true. */
  async #change(path: string, init: RequestInit, done: string): Promise<boolean> {
    this._error = null;
    this._note = null;
    const response = await fetch(api(path), init).catch(() => null);
    if (!response?.ok) {
      this._error = `Not changed: ${await refusalReason(response)}`;
      return false;
    }
    this._note = done;
    await this.#load();
    return true;
  }

  async #submit(event: SubmitEvent, path: (body: Record<string, string>) => string, done: string): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
    const { person, ...rest } = body;
    if (await this.#change(path({ person: person ?? '' }), { method: 'POST', headers: json, body: JSON.stringify(rest) }, done)) form.reset();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    const others = this._people.filter((p) => p.id !== this.user.id);
    return html`
      <dialog ${ref(this.#dialog)} aria-labelledby="account-title" data-testid="account-panel" @close=${() => this.#close()} @cancel=${() => this.#close()}>
        <header>
          <h2 id="account-title">Your account: ${this.user.username}</h2>
          <button class="close" aria-label="Close" @click=${() => this.#close()}>×</button>
        </header>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${this._note ? html`<p class="note" role="status">${this._note}</p>` : nothing}
        <section aria-labelledby="password-title">
          <h3 id="password-title">Password</h3>
          <form @submit=${(e: SubmitEvent) => void this.#submit(e, () => 'auth/password', 'Password changed. Your other sessions were signed out.')}>
            <label>Current password <input name="current" type="password" required autocomplete="current-password" /></label>
            <label>New password <input name="password" type="password" required minlength="8" maxlength="256" autocomplete="new-password" /></label>
            <button type="submit">Change password</button>
          </form>
        </section>
        <section aria-labelledby="sessions-title">
          <h3 id="sessions-title">Where you are signed in</h3>
          <ul class="list">
            ${this._sessions.map(
              (s) => html`<li data-testid="session">
                <span>${s.current ? 'This browser' : (s.userAgent ?? 'Unknown browser')}
                  <span class="muted">${s.address ?? ''} · <hearth-relative-time prefix="signed in" .time=${s.createdAt}></hearth-relative-time></span></span>
                ${s.current ? nothing : html`<button class="danger" aria-label="Sign out ${s.userAgent ?? 'session'} ${s.id}" @click=${() => void this.#change(`auth/sessions/${s.id}`, { method: 'DELETE' }, 'Signed out there.')}>Sign out</button>`}
              </li>`,
            )}
          </ul>
          <button class="danger" @click=${() => void this.#change('auth/sessions', { method: 'DELETE' }, 'Signed out everywhere else.')}>Sign out everywhere else</button>
        </section>
        ${this.user.role === 'owner' && others.length > 0
          ? html`<section aria-labelledby="owner-title">
              <h3 id="owner-title">Hand over the home</h3>
              <p class="muted">The person you choose becomes the owner; you stay as an admin.</p>
              <form @submit=${(e: SubmitEvent) => void this.#submit(e, (b) => `users/${b.person}/owner`, 'Handed over. You are an admin now.')}>
                <label>New owner <select name="person">${others.map((p) => html`<option value=${p.id}>${p.username} (${p.role})</option>`)}</select></label>
                <label>Your password <input name="password" type="password" required autocomplete="current-password" /></label>
                <button type="submit">Hand over</button>
              </form>
            </section>`
          : nothing}
        <slot></slot>
      </dialog>
    `;
  }

  static override styles = [
    panelStyles,
    listStyles,
    css`
      .note {
        margin: 12px 20px 0;
        padding: 10px 12px;
        border-radius: 10px;
        background: var(--hearth-warn-soft);
      }
    `,
  ];
}

customElements.define('hearth-account-panel', HearthAccountPanel);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-account-panel': HearthAccountPanel;
  }
}
