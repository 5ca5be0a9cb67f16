import { LitElement, css, html, nothing } from 'lit';
import { panelStyles } from './panel.styles.js';
import { refusalReason } from './refusal.js';
import './relative-time.js';

interface Backup {
  name: string;
  bytes: number;
  takenAt: number;
}

const api = (path: string) => new URL(`api/${path}`, document.baseURI);

/** Megabytes with one decimal: backups of a home run from under one to a few hundred. */
const megabytes = (bytes: number) => `${(bytes / 1_000_000).toLocaleString(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;

/**
 * The owner's backups: the nightly copies and one now, each to download. Shown to the owner
 * only (a backup holds every password hash); for anyone else the hub answers 403 and the
 * section is not drawn. Restoring is done on the hub's machine (`npm run restore`).
 */
export class HearthBackupsSection extends LitElement {
  static override properties = { _backups: { state: true }, _busy: { state: true }, _error: { state: true } };

  /** Null until the hub says the user may see backups. */
  declare _backups: readonly Backup[] | null;
  declare _busy: boolean;
  declare _error: string | null;

  constructor() {
    super();
    this._backups = null;
    this._busy = false;
    this._error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    const response = await fetch(api('backups')).catch(() => null);
    this._backups = response?.ok ? ((await response.json()) as Backup[]) : null;
  }

  async #takeNow(): Promise<void> {
    this._busy = true;
    this._error = null;
    const response = await fetch(api('backups'), { method: 'POST' }).catch(() => null);
    if (!response?.ok) this._error = `Could not back up: ${await refusalReason(response)}`;
    await this.#load();
    this._busy = false;
  }

  override render() {
    if (!this._backups) return nothing;
    return html`<section aria-labelledby="backups-title" data-testid="backups">
      <h3 id="backups-title">Backups</h3>
      <p class="muted">A copy of the whole home every night; the newest are kept. Restore one on the hub's machine with <code>npm run restore</code>.</p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <ul class="list">
        ${this._backups.length === 0 ? html`<li class="muted">No backup yet.</li>` : nothing}
        ${this._backups.map(
          (b) => html`<li>
            <span><hearth-relative-time .time=${b.takenAt}></hearth-relative-time> <span class="muted">${megabytes(b.bytes)}</span></span>
            <a href=${api(`backups/${encodeURIComponent(b.name)}`).pathname} download=${b.name} aria-label="Download the backup ${b.name}">Download</a>
          </li>`,
        )}
      </ul>
      <button ?disabled=${this._busy} @click=${() => void this.#takeNow()}>${this._busy ? 'Backing up…' : 'Back up now'}</button>
    </section>`;
  }

  static override styles = [
    panelStyles,
    css`
      .muted {
        color: var(--hearth-text-muted);
        font-size: 0.8125rem;
      }
      a {
        color: var(--hearth-accent-text);
      }
      .error {
        color: var(--hearth-danger);
      }
    `,
  ];
}

customElements.define('hearth-backups-section', HearthBackupsSection);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-backups-section': HearthBackupsSection;
  }
}
