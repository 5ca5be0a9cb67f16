import { LitElement, css, html, nothing } from 'lit';
import type { GroupReport } from '../../../hub/protocol/automations.js';
import { findCapability, type Device } from '../../../hub/protocol/device.js';
import { requestToast, send } from './home-store.js';
import { describeReport } from './reports.js';

/**
 * A room's lights as one control (all on, all off, one brightness), or with no room the
 * home's. Each light gets its own tracked command; the toast says which did not follow.
 */
export class HearthRoomActions extends LitElement {
  static override properties = { room: { attribute: false }, label: {}, lights: { attribute: false }, devices: { attribute: false } };
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 0.8125rem;
      font-weight: 400;
    }
    button {
      min-height: 36px;
      padding: 0 12px;
      border-radius: 999px;
      border: 1px solid var(--hearth-border);
      background: var(--hearth-surface);
      color: var(--hearth-text);
      font: inherit;
      cursor: pointer;
    }
    input[type='range'] {
      width: 110px;
      accent-color: var(--hearth-accent, #e2470b);
    }
    :is(button, input):focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
  `;

  /** Room id, or null for the whole home. */
  declare room: string | null;
  declare label: string;
  declare lights: readonly Device[];
  declare devices: ReadonlyMap<string, Device>;

  constructor() {
    super();
    this.room = null;
    this.label = '';
    this.lights = [];
    this.devices = new Map();
  }

  async #set(on: boolean, brightness?: number): Promise<void> {
    const path = this.room === null ? 'home/lights' : `rooms/${encodeURIComponent(this.room)}/lights`;
    const outcome = await send<GroupReport>('POST', path, brightness === undefined ? { on } : { on, brightness });
    const what = `${this.label} lights ${on ? 'on' : 'off'}`;
    requestToast(this, outcome.ok ? describeReport(what, outcome.value, this.devices) : `${what}: ${outcome.reason}`);
  }

  override render() {
    if (this.lights.length === 0) return nothing;
    const dimmable = this.lights.filter((d) => findCapability(d, 'brightness'));
    const lit = dimmable.filter((d) => d.state.on === true && typeof d.state.brightness === 'number');
    const average = lit.length ? Math.round(lit.reduce((sum, d) => sum + (d.state.brightness as number), 0) / lit.length) : 128;
    return html`
      <button @click=${() => void this.#set(true)} aria-label="${this.label}: all on">All on</button>
      <button @click=${() => void this.#set(false)} aria-label="${this.label}: all off">All off</button>
      ${dimmable.length
        ? html`<input type="range" min="1" max="255" .value=${String(average)} aria-label="${this.label}: brightness of all lights"
            @change=${(e: Event) => void this.#set(true, Number((e.target as HTMLInputElement).value))} />`
        : nothing}
    `;
  }
}

customElements.define('hearth-room-actions', HearthRoomActions);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-room-actions': HearthRoomActions;
  }
}
