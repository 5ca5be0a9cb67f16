import { LitElement, css, html, nothing } from 'lit';
import { icon } from './icons.js';
import { sentence } from './refusal.js';

export interface SignedInUser {
  id: string;
  username: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
}

/**
 * The first-run onboarding (create the owner account) or the login form. Talks to
 * /api/auth itself, since nothing else can happen before it, and fires `signed-in` with the
 * user once the hub has set the session cookie.
 */
export class HearthSignIn extends LitElement {
  static override properties = { mode: {}, _error: { state: true }, _busy: { state: true } };

  declare mode: 'onboarding' | 'login';
  declare _error: string | null;
  declare _busy: boolean;

  constructor() {
    super();
    this.mode = 'login';
    this._error = null;
    this._busy = false;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body = {
      username: String(form.get('username') ?? '').trim(),
      password: String(form.get('password') ?? ''),
      ...(this.mode === 'onboarding' ? { setupCode: String(form.get('setupCode') ?? '').trim() } : {}),
    };
    this._busy = true;
    this._error = null;
    const response = await fetch(new URL(`api/auth/${this.mode}`, document.baseURI), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => null);
    this._busy = false;
    if (!response) {
      this._error = 'The hub is unreachable. Check that it is running and try again.';
      return;
    }
    const answer = (await response.json().catch(() => ({}))) as SignedInUser & { message?: string };
    if (!response.ok) {
      this._error = sentence(answer.message ?? `The hub refused (${response.status}).`);
      return;
    }
    this.dispatchEvent(new CustomEvent<SignedInUser>('signed-in', { detail: answer, bubbles: true, composed: true }));
  }

  override render() {
    const onboarding = this.mode === 'onboarding';
    return html`
      <form @submit=${(e: SubmitEvent) => void this.#submit(e)} aria-describedby="intro">
        <span class="logo">${icon('flame')}</span>
        <h2>${onboarding ? 'Welcome to Hearth' : 'Sign in to Hearth'}</h2>
        <p id="intro">
          ${onboarding
            ? 'Create the owner account. Nobody can see or control your home without signing in. The setup code is printed in the terminal (and the log) where Hearth was started.'
            : 'Your home is private: sign in to see and control it.'}
        </p>
        ${onboarding
          ? html`<label>Setup code <input name="setupCode" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required maxlength="40" /></label>`
          : nothing}
        <label>User name <input name="username" autocomplete="username" required maxlength="64" pattern="[\\p{L}\\p{N}._@\\-]+" /></label>
        <label
          >Password
          <input name="password" type="password" autocomplete=${onboarding ? 'new-password' : 'current-password'} required minlength=${onboarding ? 8 : 1} maxlength="256"
        /></label>
        ${onboarding ? html`<p class="hint">At least 8 characters.</p>` : nothing}
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        <button type="submit" ?disabled=${this._busy}>${onboarding ? 'Create account' : 'Sign in'}</button>
      </form>
    `;
  }

  static override styles = css`
    :host {
      display: grid;
      place-items: center;
      padding: 32px 16px;
    }
    form {
      display: grid;
      gap: 14px;
      width: min(100%, 380px);
      padding: 28px 24px;
      border-radius: var(--hearth-radius);
      background: var(--hearth-surface);
      box-shadow: var(--hearth-shadow);
      border: 1px solid var(--hearth-border);
    }
    .logo {
      display: grid;
      place-items: center;
      width: 48px;
      height: 48px;
      border-radius: 14px;
      color: #fff;
      background: linear-gradient(145deg, #ff9a3d, #e2470b);
    }
    .logo svg {
      width: 28px;
      height: 28px;
    }
    h2 {
      margin: 0;
      font-size: 1.375rem;
    }
    p {
      margin: 0;
      color: var(--hearth-text-muted);
      line-height: 1.45;
    }
    label {
      display: grid;
      gap: 6px;
      font-weight: 600;
      font-size: 0.9375rem;
    }
    input {
      font: inherit;
      font-weight: 400;
      min-height: 48px;
      padding: 0 14px;
      border-radius: var(--hearth-radius-sm);
      border: 1px solid var(--hearth-border);
      background: var(--hearth-surface-2);
      color: var(--hearth-text);
    }
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
    .hint {
      font-size: 0.8125rem;
      margin-top: -8px;
    }
    .error {
      color: var(--hearth-danger);
      background: var(--hearth-danger-soft);
      padding: 10px 12px;
      border-radius: var(--hearth-radius-sm);
    }
    button {
      font: inherit;
      font-weight: 700;
      min-height: 48px;
      border: 0;
      border-radius: var(--hearth-radius-sm);
      background: var(--hearth-accent-text);
      color: var(--hearth-on-accent);
      cursor: pointer;
    }
    button[disabled] {
      opacity: 0.6;
      cursor: progress;
    }
  `;
}

customElements.define('hearth-sign-in', HearthSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-sign-in': HearthSignIn;
  }
  interface HTMLElementEventMap {
    'signed-in': CustomEvent<SignedInUser>;
  }
}
