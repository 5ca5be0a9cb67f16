import { LitElement, css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Device, Room } from '../../hub/protocol/device.js';
import { ask } from './confirm-dialog.js';
import { requestSettings, type DeviceSettingsDetail } from './events.js';
import { panelStyles } from './panel.styles.js';
import { savedValue } from './saved-value.js';

/**
 * What an admin sets on a device: name, room, order, favourite, and removing it. Fields show
 * what the hub holds: a change the hub refused goes back to the saved value.
 */
export class HearthDeviceSettings extends LitElement {
  static override properties = { device: { attribute: false }, rooms: { attribute: false } };
  declare device: Device;
  declare rooms: readonly Room[];

  constructor() {
    super();
    this.rooms = [];
  }

  #set(change: DeviceSettingsDetail['change']): void {
    // The fields compare with what the hub holds (`live`, `savedValue`), so a re-render puts the saved value back.
    requestSettings(this, { id: this.device.id, change, settled: (ok) => ok || this.requestUpdate() });
  }

  async #remove(): Promise<void> {
    const d = this.device;
    const answer = await ask({
      title: `Remove ${d.name}?`,
      message: 'The hub forgets the device, its settings and its history. If it announces itself again it comes back as a new device.',
      action: 'Remove device',
    });
    if (answer) this.#set({ remove: true });
  }

  override render() {
    const d = this.device;
    return html`
      <section aria-labelledby="settings-title">
        <h3 id="settings-title">Settings</h3>
        <label>Name <input .value=${savedValue(d.name)} maxlength="80" @change=${(e: Event) => this.#set({ name: (e.target as HTMLInputElement).value.trim() || null })} /></label>
        <label
          >Room
          <select aria-label="Room" .value=${live(d.room ?? '')} @change=${(e: Event) => this.#set({ room: (e.target as HTMLSelectElement).value || null })}>
            <option value="" ?selected=${d.room === null}>No room</option>
            ${this.rooms.map((r) => html`<option value=${r.id} ?selected=${d.room === r.id}>${r.name}</option>`)}
          </select>
        </label>
        <label
          >New room
          <input
            placeholder="e.g. Kitchen"
            maxlength="60"
            @change=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              if (input.value.trim()) this.#set({ newRoom: input.value.trim() });
              input.value = '';
            }}
        /></label>
        <label
          >Order (lower comes first)
          <input type="number" min="0" inputmode="numeric" .value=${savedValue(d.position === null ? '' : String(d.position))}
            @change=${(e: Event) => {
              const text = (e.target as HTMLInputElement).value;
              this.#set({ position: text === '' ? null : Math.max(0, Math.round(Number(text))) });
            }} />
        </label>
        <label class="check"><input type="checkbox" .checked=${live(d.favourite)} @change=${(e: Event) => this.#set({ favourite: (e.target as HTMLInputElement).checked })} /> Favourite</label>
        <button class="danger" @click=${() => void this.#remove()}>Remove device</button>
      </section>
    `;
  }

  static override styles = [
    panelStyles,
    css`
      section {
        border-bottom: 0;
      }
    `,
  ];
}

customElements.define('hearth-device-settings', HearthDeviceSettings);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-device-settings': HearthDeviceSettings;
  }
}
