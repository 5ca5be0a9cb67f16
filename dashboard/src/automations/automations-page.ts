import { LitElement, css, html, nothing } from 'lit';
import type { Automation, HomeSettings } from '../../../hub/protocol/automations.js';
import type { Device, Room } from '../../../hub/protocol/device.js';
import { panelStyles } from '../panel.styles.js';
import './automation-editor.js';
import type { HomeExtras } from './home-store.js';
import { requestToast, send } from './home-store.js';
import './notification-list.js';
import type { EditorData } from './pickers.js';
import './trace-view.js';

/**
 * The Automations page: each automation with its switch, a run-now button and its last runs;
 * the form editor; the notifications; where the home is (for sun and time triggers). Owners
 * and admins edit, members run, viewers look.
 */
export class HearthAutomationsPage extends LitElement {
  static override properties = {
    extras: { attribute: false },
    devices: { attribute: false },
    rooms: { attribute: false },
    canControl: { type: Boolean },
    canEdit: { type: Boolean },
    _editing: { state: true },
    _open: { state: true },
    _home: { state: true },
  };
  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      ul.automations {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li.automation {
        border: 1px solid var(--hearth-border);
        border-radius: var(--hearth-radius);
        background: var(--hearth-surface);
        padding: 12px 16px;
        margin-bottom: 12px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      .name {
        flex: 1;
        font-weight: 600;
      }
      .flag {
        color: var(--hearth-danger, #b42318);
        margin: 6px 0 0;
      }
      a,
      label.import {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        margin: 0;
        padding: 0 12px;
        color: inherit;
        cursor: pointer;
      }
      label.import input {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
      label.import:focus-within {
        outline: 3px solid var(--hearth-focus);
      }
      .editor {
        border: 1px solid var(--hearth-border);
        border-radius: var(--hearth-radius);
        background: var(--hearth-surface);
        margin-bottom: 16px;
      }
    `,
  ];

  declare extras: HomeExtras;
  declare devices: ReadonlyMap<string, Device>;
  declare rooms: readonly Room[];
  declare canControl: boolean;
  declare canEdit: boolean;
  /** The automation being edited, `new` for a new one, or null. */
  declare _editing: Automation | 'new' | null;
  /** Automations whose runs are shown. */
  declare _open: ReadonlySet<string>;
  declare _home: HomeSettings | null;

  constructor() {
    super();
    this.devices = new Map();
    this.rooms = [];
    this.canControl = false;
    this.canEdit = false;
    this._editing = null;
    this._open = new Set();
    this._home = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void send<HomeSettings>('GET', 'settings/home').then((r) => (this._home = r.ok ? r.value : null));
  }

  #editorData(): EditorData {
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    return {
      devices: [...this.devices.values()].sort(byName),
      rooms: this.rooms,
      scenes: this.extras.scenes,
      automations: [...this.extras.automations.values()].sort(byName),
    };
  }

  async #act(what: string, method: string, path: string, body?: unknown): Promise<void> {
    const outcome = await send(method, path, body);
    if (!outcome.ok) requestToast(this, `Could not ${what}: ${outcome.reason}`);
  }

  #toggleRuns(id: string): void {
    const open = new Set(this._open);
    if (open.delete(id)) return void (this._open = open);
    this._open = open.add(id);
    this.dispatchEvent(new CustomEvent<string>('load-traces', { detail: id, bubbles: true, composed: true }));
  }

  async #saveHome(form: HTMLFormElement): Promise<void> {
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const number = (name: string) => (field(name) === '' ? null : Number(field(name)));
    const outcome = await send<HomeSettings>('PATCH', 'settings/home', { timeZone: field('timeZone'), latitude: number('latitude'), longitude: number('longitude') });
    if (outcome.ok) this._home = outcome.value;
    requestToast(this, outcome.ok ? 'Saved where the home is.' : `Could not save: ${outcome.reason}`);
  }

  /** Imports a file made by Export: all of it or, if anything in it is wrong, none. */
  async #import(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch {
      return requestToast(this, `${file.name} is not JSON.`);
    }
    const outcome = await send<{ imported: number }>('POST', 'automations/import', body);
    requestToast(this, outcome.ok ? `Imported ${outcome.value.imported} automations.` : `Could not import ${file.name}: ${outcome.reason}`);
  }

  #renderAutomation(a: Automation) {
    const id = encodeURIComponent(a.id);
    return html`<li class="automation" data-testid="automation-${a.name}">
      <div class="row">
        <span class="name">${a.name}</span>
        <label class="check"><input type="checkbox" .checked=${a.enabled} ?disabled=${!this.canEdit}
          @change=${(e: Event) => void this.#act('change it', 'PUT', `automations/${id}/enabled`, { enabled: (e.target as HTMLInputElement).checked })} /> Enabled</label>
        ${this.canControl ? html`<button @click=${() => void this.#act('run it', 'POST', `automations/${id}/run`)}>Run now</button>` : nothing}
        <button aria-expanded=${this._open.has(a.id) ? 'true' : 'false'} @click=${() => this.#toggleRuns(a.id)}>Runs</button>
        ${this.canEdit
          ? html`<button @click=${() => (this._editing = a)}>Edit</button>
              <button class="danger" @click=${() => void this.#act('remove it', 'DELETE', `automations/${id}`)}>Remove</button>`
          : nothing}
      </div>
      ${a.flagged ? html`<p class="flag" role="status">${a.flagged}</p>` : nothing}
      ${this._open.has(a.id) ? html`<hearth-trace-view .traces=${this.extras.traces.get(a.id) ?? []}></hearth-trace-view>` : nothing}
    </li>`;
  }

  #renderHome() {
    const home = this._home;
    if (!home || !this.canEdit) return nothing;
    return html`<section aria-label="Where the home is">
      <h3>Where the home is</h3>
      <form class="row" @submit=${(e: Event) => (e.preventDefault(), void this.#saveHome(e.target as HTMLFormElement))}>
        <label>Time zone <input name="timeZone" .value=${home.timeZone} /></label>
        <label>Latitude <input name="latitude" type="number" step="any" min="-90" max="90" .value=${home.latitude === null ? '' : String(home.latitude)} /></label>
        <label>Longitude <input name="longitude" type="number" step="any" min="-180" max="180" .value=${home.longitude === null ? '' : String(home.longitude)} /></label>
        <button type="submit">Save</button>
      </form>
    </section>`;
  }

  override render() {
    const automations = [...this.extras.automations.values()].sort((a, b) => a.name.localeCompare(b.name));
    const editing = this._editing;
    return html`
      <div class="top">
        <h2>Automations</h2>
        <div class="row">
          <a href="api/automations/export" download="hearth-automations.json">Export</a>
          ${this.canEdit
            ? html`<label class="import">Import <input type="file" accept="application/json,.json" @change=${(e: Event) => void this.#import(e.target as HTMLInputElement)} /></label>`
            : nothing}
          ${this.canEdit && !editing ? html`<button @click=${() => (this._editing = 'new')}>New automation</button>` : nothing}
        </div>
      </div>
      ${editing
        ? html`<div class="editor"><hearth-automation-editor .data=${this.#editorData()} .automation=${editing === 'new' ? null : editing} @close=${() => (this._editing = null)}></hearth-automation-editor></div>`
        : nothing}
      ${automations.length ? html`<ul class="automations">${automations.map((a) => this.#renderAutomation(a))}</ul>` : html`<p>No automations yet.</p>`}
      <hearth-notification-list .notifications=${this.extras.notifications} .canClear=${this.canControl}></hearth-notification-list>
      ${this.#renderHome()}
    `;
  }
}

customElements.define('hearth-automations-page', HearthAutomationsPage);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-automations-page': HearthAutomationsPage;
  }
  interface HTMLElementEventMap {
    'load-traces': CustomEvent<string>;
  }
}
