import { LitElement, css, html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { listStyles, panelStyles } from './panel.styles.js';
import { ask, type Question } from './confirm-dialog.js';
import { refusalReason } from './refusal.js';
import './relative-time.js';
import './backups-section.js';

interface Person {
  id: string;
  username: string;
  role: string;
}
interface Token {
  id: string;
  name: string;
  username: string;
  lastUsedAt: number | null;
}
interface Credential {
  username: string;
  name: string;
  topics: string[];
}
/** A secret the hub shows once, right after making it. */
interface Revealed {
  title: string;
  lines: [string, string][];
}

const api = (path: string) => new URL(`api/${path}`, document.baseURI);
const json = { 'content-type': 'application/json' };

/**
 * Who may get in: people and their roles, API tokens for scripts, and the credentials
 * devices use to connect over MQTT. For owners and admins; every change goes to the REST
 * API and the lists are read back from it.
 */
export class HearthAccessPanel extends LitElement {
  static override properties = { _people: { state: true }, _tokens: { state: true }, _credentials: { state: true }, _revealed: { state: true }, _error: { state: true } };

  declare _people: readonly Person[];
  declare _tokens: readonly Token[];
  declare _credentials: readonly Credential[];
  declare _revealed: Revealed | null;
  declare _error: string | null;
  readonly #dialog = createRef<HTMLDialogElement>();
  readonly #revealedBox = createRef<HTMLElement>();

  constructor() {
    super();
    this._people = [];
    this._tokens = [];
    this._credentials = [];
    this._revealed = null;
    this._error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override firstUpdated(): void {
    this.#dialog.value?.showModal();
  }

  override updated(changed: Map<string, unknown>): void {
    // A secret shown once must not appear out of sight, above the form that made it.
    if (changed.has('_revealed') && this._revealed) {
      this.#revealedBox.value?.scrollIntoView({ block: 'nearest' });
      this.#revealedBox.value?.focus();
    }
  }

  async #load(): Promise<void> {
    const read = <T,>(path: string) => fetch(api(path)).then((r) => (r.ok ? (r.json() as Promise<T[]>) : [])).catch(() => [] as T[]);
    [this._people, this._tokens, this._credentials] = await Promise.all([read<Person>('users'), read<Token>('auth/tokens'), read<Credential>('mqtt/credentials')]);
  }

  /** Sends a change; on success reloads the lists and returns the hub's answer. */
  async #change<T>(path: string, init: RequestInit): Promise<T | null> {
    this._error = null;
    const response = await fetch(api(path), init).catch(() => null);
    if (!response?.ok) {
      this._error = `Could not save. ${await refusalReason(response)}`;
      return null;
    }
    await this.#load();
    return response.status === 204 ? ({} as T) : ((await response.json()) as T);
  }

  async #submit(event: SubmitEvent, path: string, reveal?: (answer: never) => Revealed): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
    const answer = await this.#change<never>(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
    if (answer === null) return;
    form.reset();
    if (reveal) this._revealed = reveal(answer);
  }

  /** Asks first: a removed person, token or credential stops working at once and cannot come back. */
  async #remove(path: string, question: Question): Promise<void> {
    if (await ask(question)) await this.#change(path, { method: 'DELETE' });
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    return html`
      <dialog ${ref(this.#dialog)} aria-labelledby="access-title" data-testid="access-panel" @close=${() => this.#close()} @cancel=${() => this.#close()}>
        <div class="head">
          <h2 id="access-title">Access</h2>
          <button class="close" aria-label="Close" @click=${() => this.#close()}>×</button>
        </div>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${this._revealed ? this.#renderRevealed(this._revealed) : nothing}
        <section aria-labelledby="people-title">
          <h3 id="people-title">People</h3>
          <ul class="list">
            ${this._people.map(
              (p) => html`<li><span>${p.username} <span class="muted">${p.role}</span></span>
                ${p.role === 'owner' ? nothing : this.#renderRoleChoice(p)}
                ${p.role === 'owner' ? nothing : html`<button class="danger" aria-label="Remove ${p.username}" @click=${() => void this.#remove(`users/${p.id}`, { title: `Remove ${p.username}?`, message: `${p.username} is signed out everywhere and their API tokens stop working.`, action: 'Remove person' })}>Remove</button>`}</li>`,
            )}
          </ul>
          <form @submit=${(e: SubmitEvent) => void this.#submit(e, 'users')}>
            <label>User name <input name="username" required maxlength="64" autocomplete="off" /></label>
            <label>Password <input name="password" type="password" required minlength="8" autocomplete="new-password" /></label>
            <label
              >Role
              <select name="role">
                <option value="member">Household member: sees and controls devices</option>
                <option value="viewer">Viewer: only sees</option>
                <option value="admin">Admin: also changes settings</option>
              </select>
            </label>
            <button type="submit">Add person</button>
          </form>
        </section>
        <section aria-labelledby="tokens-title">
          <h3 id="tokens-title">API tokens</h3>
          <ul class="list">
            ${this._tokens.map(
              (t) => html`<li><span>${t.name} <span class="muted">${t.username} · ${t.lastUsedAt ? html`<hearth-relative-time prefix="used" .time=${t.lastUsedAt}></hearth-relative-time>` : 'never used'}</span></span>
                <button class="danger" aria-label="Revoke ${t.name}" @click=${() => void this.#remove(`auth/tokens/${t.id}`, { title: `Revoke the token ${t.name}?`, message: 'Scripts using it are refused from now on. A new token can be made, with a new secret.', action: 'Revoke token' })}>Revoke</button></li>`,
            )}
          </ul>
          <form @submit=${(e: SubmitEvent) => void this.#submit(e, 'auth/tokens', (a: { secret: string; token: { name: string } }) => ({ title: `Token ${a.token.name}`, lines: [['Token', a.secret]] }))}>
            <label>Token name <input name="name" required maxlength="80" placeholder="e.g. backup script" /></label>
            <button type="submit">Create token</button>
          </form>
        </section>
        <section aria-labelledby="devices-title">
          <h3 id="devices-title">Device credentials (MQTT)</h3>
          <ul class="list">
            ${this._credentials.map(
              (c) => html`<li><span>${c.name} <span class="muted">${c.username}</span><span class="topics" aria-label="Topics">${c.topics.map((t) => html`<code>${t}</code>`)}</span></span>
                <button class="danger" aria-label="Revoke ${c.name}" @click=${() => void this.#remove(`mqtt/credentials/${encodeURIComponent(c.username)}`, { title: `Revoke ${c.name}'s credential?`, message: 'The device can no longer connect with it; it needs a new credential to come back.', action: 'Revoke credential' })}>Revoke</button></li>`,
            )}
          </ul>
          <form @submit=${(e: SubmitEvent) => void this.#submit(e, 'mqtt/credentials', (a: { username: string; password: string }) => ({ title: 'Device credential', lines: [['User name', a.username], ['Password', a.password]] }))}>
            <label>Device name <input name="name" required maxlength="80" placeholder="e.g. kitchen-plug" /></label>
            <button type="submit">Create credential</button>
          </form>
        </section>
        <hearth-backups-section></hearth-backups-section>
        <slot></slot>
      </dialog>
    `;
  }

  /** A lower role takes effect at once: the person's open dashboards reconnect with it. */
  #renderRoleChoice(person: Person) {
    const choose = (event: Event) =>
      void this.#change(`users/${person.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ role: (event.target as HTMLSelectElement).value }) });
    return html`<select class="role" aria-label="Role of ${person.username}" @change=${choose}>
      ${['admin', 'member', 'viewer'].map((role) => html`<option value=${role} ?selected=${person.role === role}>${role}</option>`)}
    </select>`;
  }

  #renderRevealed(revealed: Revealed) {
    return html`<section class="revealed" role="status" tabindex="-1" data-testid="revealed-secret" ${ref(this.#revealedBox)}>
      <h3>${revealed.title}</h3>
      <p>Copy it now: the hub keeps only a fingerprint and cannot show it again.</p>
      <dl>${revealed.lines.map(([label, value]) => html`<dt>${label}</dt><dd><code>${value}</code></dd>`)}</dl>
      <button @click=${() => (this._revealed = null)}>Done</button>
    </section>`;
  }

  static override styles = [
    panelStyles,
    listStyles,
    css`
      .revealed {
        background: var(--hearth-warn-soft);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 6px 16px;
        margin: 8px 0 12px;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];
}

customElements.define('hearth-access-panel', HearthAccessPanel);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-access-panel': HearthAccessPanel;
  }
}
