import { LitElement, css, html, nothing } from 'lit';
import type { GroupReport, SceneView } from '../../../hub/protocol/automations.js';
import type { Device } from '../../../hub/protocol/device.js';
import { requestToast, send } from './home-store.js';
import { describeReport } from './reports.js';

/**
 * The scenes on the home view: one button each to apply it (members and up), and for owners
 * and admins, "Save what is on now" as a new scene and a way to remove one.
 */
export class HearthScenesStrip extends LitElement {
  static override properties = { scenes: { attribute: false }, devices: { attribute: false }, canControl: { type: Boolean }, canEdit: { type: Boolean }, _naming: { state: true }, _busy: { state: true } };
  static override styles = css`
    :host {
      display: block;
      margin: 8px 0 16px;
    }
    .strip {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
    }
    h2 {
      margin: 0 8px 0 0;
      font-size: 0.8125rem;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: var(--hearth-text-muted);
    }
    button,
    input {
      min-height: 40px;
      padding: 0 14px;
      border-radius: 999px;
      border: 1px solid var(--hearth-border);
      background: var(--hearth-surface);
      color: var(--hearth-text);
      font: inherit;
    }
    button.scene[aria-busy='true'] {
      opacity: 0.6;
    }
    button.remove {
      padding: 0 10px;
    }
    .missing {
      color: var(--hearth-text-muted);
      font-size: 0.75rem;
    }
    :is(button, input):focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
  `;

  declare scenes: readonly SceneView[];
  declare devices: ReadonlyMap<string, Device>;
  declare canControl: boolean;
  declare canEdit: boolean;
  declare _naming: boolean;
  declare _busy: string | null;

  constructor() {
    super();
    this.scenes = [];
    this.devices = new Map();
    this.canControl = false;
    this.canEdit = false;
    this._naming = false;
    this._busy = null;
  }

  async #apply(scene: SceneView): Promise<void> {
    this._busy = scene.id;
    const outcome = await send<GroupReport & { missing: string[] }>('POST', `scenes/${encodeURIComponent(scene.id)}/apply`);
    this._busy = null;
    requestToast(this, outcome.ok ? describeReport(scene.name, outcome.value, this.devices) : `${scene.name}: ${outcome.reason}`);
  }

  /** "Save what is on now": every light and switch as it is. */
  async #save(name: string): Promise<void> {
    const capture = [...this.devices.values()].filter((d) => d.kind !== 'sensor').map((d) => d.id);
    const outcome = await send('POST', 'scenes', { name, capture });
    if (!outcome.ok) return requestToast(this, `Could not save the scene: ${outcome.reason}`);
    this._naming = false;
    requestToast(this, `Saved the scene ${name}.`);
  }

  async #remove(scene: SceneView): Promise<void> {
    const outcome = await send('DELETE', `scenes/${encodeURIComponent(scene.id)}`);
    if (!outcome.ok) requestToast(this, `Could not remove ${scene.name}: ${outcome.reason}`);
  }

  override render() {
    if (this.scenes.length === 0 && !this.canEdit) return nothing;
    return html`<div class="strip" role="region" aria-labelledby="scenes-title" data-testid="scenes-strip">
      <h2 id="scenes-title">Scenes</h2>
      ${this.scenes.map(
        (scene) => html`<button class="scene" ?disabled=${!this.canControl} aria-busy=${this._busy === scene.id ? 'true' : 'false'} @click=${() => void this.#apply(scene)} title=${scene.missing.length ? `Removed devices: ${scene.missing.join(', ')}` : `Apply ${scene.name}`}>
            ${scene.name}${scene.missing.length ? html` <span class="missing">(${scene.missing.length} removed)</span>` : nothing}
          </button>
          ${this.canEdit ? html`<button class="remove" aria-label="Remove the scene ${scene.name}" @click=${() => void this.#remove(scene)}>×</button>` : nothing}`,
      )}
      ${this.canEdit
        ? this._naming
          ? html`<form @submit=${(e: Event) => {
              e.preventDefault();
              const input = (e.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
              if (input.value.trim()) void this.#save(input.value.trim());
            }}>
              <input name="name" aria-label="Scene name" placeholder="Scene name" required maxlength="60" />
              <button type="submit">Save</button>
            </form>`
          : html`<button @click=${() => (this._naming = true)}>Save what is on now</button>`
        : nothing}
    </div>`;
  }
}

customElements.define('hearth-scenes-strip', HearthScenesStrip);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-scenes-strip': HearthScenesStrip;
  }
}
