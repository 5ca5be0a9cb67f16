import { LitElement, css, html, nothing } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import type { Device, Room } from '../../hub/protocol/device.js';
import { requestSettings } from './events.js';
import { panelStyles } from './panel.styles.js';

const PROTOCOLS: Readonly<Record<Device['source']['protocol'], string>> = {
  homeassistant: 'Home Assistant MQTT discovery',
  homie: 'Homie',
  tasmota: 'Tasmota',
  shelly: 'Shelly',
  zigbee2mqtt: 'Zigbee2MQTT',
};

/** The choice "a new room" in the room list. */
const NEW_ROOM = '\u0000new';

/**
 * "New device found", as Home Assistant's discovered-device prompt: a device that just
 * announced itself, to name and put in a room. Saving sends the settings up like the device
 * page does; `dismiss` asks the root to go on to the next found device.
 */
export class HearthNewDevice extends LitElement {
  static override properties = { device: { attribute: false }, rooms: { attribute: false }, waiting: { type: Number }, _room: { state: true } };

  declare device: Device;
  declare rooms: readonly Room[];
  /** Found devices after this one. */
  declare waiting: number;
  declare _room: string;
  readonly #dialog = createRef<HTMLDialogElement>();

  constructor() {
    super();
    this.rooms = [];
    this.waiting = 0;
    this._room = '';
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('device')) this._room = this.device.room ?? this.rooms[0]?.id ?? NEW_ROOM;
  }

  override firstUpdated(): void {
    this.#dialog.value?.showModal();
  }

  #save(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const name = String(form.get('name') ?? '').trim();
    const newRoom = String(form.get('newRoom') ?? '').trim();
    const room = this._room === NEW_ROOM ? (newRoom ? { newRoom } : { room: null }) : { room: this._room || null };
    requestSettings(this, { id: this.device.id, change: { ...(name && name !== this.device.name ? { name } : {}), ...room } });
    this.#dismiss();
  }

  #dismiss(): void {
    this.dispatchEvent(new CustomEvent('dismiss', { bubbles: true, composed: true }));
  }

  override render() {
    const d = this.device;
    return html`<dialog ${ref(this.#dialog)} aria-labelledby="found-title" data-testid="new-device" @cancel=${(e: Event) => (e.preventDefault(), this.#dismiss())}>
      <div class="head"><h2 id="found-title">New device found</h2></div>
      <form @submit=${(e: SubmitEvent) => this.#save(e)}>
        <section>
          <p class="what"><strong>${d.announcedName}</strong> announced itself over ${PROTOCOLS[d.source.protocol]}${d.model ? html` (${d.manufacturer ?? ''} ${d.model})` : nothing}.</p>
          <label>Name <input name="name" .value=${d.name} maxlength="80" required /></label>
          <label
            >Room
            <select name="room" aria-label="Room" @change=${(e: Event) => (this._room = (e.target as HTMLSelectElement).value)}>
              ${this.rooms.map((r) => html`<option value=${r.id} ?selected=${this._room === r.id}>${r.name}</option>`)}
              <option value=${NEW_ROOM} ?selected=${this._room === NEW_ROOM}>A new room…</option>
              <option value="" ?selected=${this._room === ''}>No room</option>
            </select>
          </label>
          ${this._room === NEW_ROOM ? html`<label>New room <input name="newRoom" maxlength="60" placeholder="e.g. Kitchen" /></label>` : nothing}
          <div class="buttons">
            <button type="button" @click=${() => this.#dismiss()}>Later</button>
            <button type="submit" class="primary">Save</button>
          </div>
          ${this.waiting ? html`<p class="muted">${this.waiting} more found after this one.</p>` : nothing}
        </section>
      </form>
    <slot></slot>
    </dialog>`;
  }

  static override styles = [
    panelStyles,
    css`
      dialog {
        width: min(460px, calc(100vw - 24px));
      }
      section {
        border-bottom: 0;
      }
      .what {
        margin: 0 0 16px;
        line-height: 1.45;
      }
      .buttons {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
      .primary {
        border-color: var(--hearth-accent);
        background: var(--hearth-accent-soft);
        font-weight: 600;
      }
      .muted {
        margin: 12px 0 0;
        color: var(--hearth-text-muted);
        font-size: 0.875rem;
      }
    `,
  ];
}

customElements.define('hearth-new-device', HearthNewDevice);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-new-device': HearthNewDevice;
  }
}
