import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { createRef, ref } from 'lit/directives/ref.js';
import type { Device, Room } from '../../hub/protocol/device.js';
import { call } from './api.js';
import { ask } from './confirm-dialog.js';
import { panelStyles } from './panel.styles.js';
import { savedValue } from './saved-value.js';

/** The order with the room at `index` swapped with its neighbour `by` places away. */
function moved(rooms: readonly Room[], index: number, by: -1 | 1): string[] {
  const ids = rooms.map((r) => r.id);
  [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
  return ids;
}

/**
 * Managing rooms, for owners and admins: add, rename, reorder, remove (choosing where the
 * devices go), and put many devices into a room at once. The lists follow the live store,
 * so what another dashboard changes shows here too.
 */
export class HearthRoomsPanel extends LitElement {
  static override properties = { rooms: { attribute: false }, devices: { attribute: false }, _message: { state: true }, _target: { state: true }, _chosen: { state: true } };

  declare rooms: readonly Room[];
  declare devices: ReadonlyMap<string, Device>;
  declare _message: { text: string; error: boolean } | null;
  /** The room chosen devices go to ('' for none). */
  declare _target: string;
  declare _chosen: ReadonlySet<string>;
  readonly #dialog = createRef<HTMLDialogElement>();

  constructor() {
    super();
    this.rooms = [];
    this.devices = new Map();
    this._message = null;
    this._target = '';
    this._chosen = new Set();
  }

  override firstUpdated(): void {
    this.#dialog.value?.showModal();
  }

  async #do(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const outcome = await call(method, path, body);
    this._message = outcome.ok ? null : { text: outcome.reason, error: true };
    // A refused rename shows the saved name again.
    if (!outcome.ok) this.requestUpdate();
    return outcome.ok ? (outcome.value ?? true) : null;
  }

  async #add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    const known = this.rooms.map((r) => r.id);
    const room = (await this.#do('POST', 'rooms', { name })) as Room | null;
    if (!room) return;
    form.reset();
    if (known.includes(room.id)) this._message = { text: `${room.name} is already a room: devices can go there.`, error: false };
  }

  async #remove(room: Room): Promise<void> {
    const count = [...this.devices.values()].filter((d) => d.room === room.id).length;
    const others = this.rooms.filter((r) => r.id !== room.id).map((r) => [r.id, r.name] as [string, string]);
    const answer = await ask({
      title: `Remove ${room.name}?`,
      message: count ? `${room.name} has ${count} ${count === 1 ? 'device' : 'devices'}. Where should ${count === 1 ? 'it' : 'they'} go?` : `${room.name} has no devices.`,
      action: 'Remove room',
      ...(count ? { choice: { label: 'Move its devices to', options: [['', 'No room'], ...others], value: '' } } : {}),
    });
    if (!answer) return;
    const to = answer.choice ? `?devicesTo=${encodeURIComponent(answer.choice)}` : '';
    await this.#do('DELETE', `rooms/${encodeURIComponent(room.id)}${to}`);
  }

  async #move(): Promise<void> {
    const devices = [...this._chosen];
    if (await this.#do('POST', 'devices/move', { devices, room: this._target || null })) {
      const where = this.rooms.find((r) => r.id === this._target)?.name ?? 'no room';
      this._message = { text: `Moved ${devices.length} ${devices.length === 1 ? 'device' : 'devices'} to ${where}.`, error: false };
      this._chosen = new Set();
    }
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this._chosen);
    if (on) next.add(id);
    else next.delete(id);
    this._chosen = next;
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    return html`
      <dialog ${ref(this.#dialog)} aria-labelledby="rooms-title" data-testid="rooms-panel" @close=${() => this.#close()} @cancel=${() => this.#close()}>
        <div class="head">
          <h2 id="rooms-title">Rooms</h2>
          <button class="close" aria-label="Close" @click=${() => this.#close()}>×</button>
        </div>
        ${this._message ? html`<p class=${this._message.error ? 'message error' : 'message'} role=${this._message.error ? 'alert' : 'status'}>${this._message.text}</p>` : nothing}
        <section aria-labelledby="room-list-title">
          <h3 id="room-list-title">Your rooms</h3>
          ${this.rooms.length === 0 ? html`<p class="muted">No rooms yet. Devices are grouped by kind until there are.</p>` : nothing}
          <ol class="rooms">${this.rooms.map((room, i) => this.#renderRoom(room, i))}</ol>
          <form class="inline" @submit=${(e: SubmitEvent) => void this.#add(e)}>
            <label>New room <input name="name" required maxlength="60" placeholder="e.g. Kitchen" autocomplete="off" /></label>
            <button type="submit">Add room</button>
          </form>
        </section>
        ${this.#renderMove()}
        <slot></slot>
      </dialog>
    `;
  }

  #renderRoom(room: Room, index: number) {
    const count = [...this.devices.values()].filter((d) => d.room === room.id).length;
    return html`<li data-room=${room.id}>
      <input aria-label="Name of ${room.name}" .value=${savedValue(room.name)} maxlength="60" required
        @change=${(e: Event) => void this.#do('PATCH', `rooms/${encodeURIComponent(room.id)}`, { name: (e.target as HTMLInputElement).value })} />
      <span class="muted count">${count}</span>
      <button aria-label="Move ${room.name} up" ?disabled=${index === 0} @click=${() => void this.#do('PUT', 'rooms/order', { rooms: moved(this.rooms, index, -1) })}>↑</button>
      <button aria-label="Move ${room.name} down" ?disabled=${index === this.rooms.length - 1} @click=${() => void this.#do('PUT', 'rooms/order', { rooms: moved(this.rooms, index, 1) })}>↓</button>
      <button class="danger" aria-label="Remove ${room.name}" @click=${() => void this.#remove(room)}>Remove</button>
    </li>`;
  }

  #renderMove() {
    const devices = [...this.devices.values()].sort((a, b) => a.name.localeCompare(b.name));
    const roomName = (id: string | null) => this.rooms.find((r) => r.id === id)?.name ?? 'No room';
    return html`<section aria-labelledby="move-title">
      <h3 id="move-title">Put devices in a room</h3>
      <fieldset>
        <legend class="visually-hidden">Devices to move</legend>
        ${devices.map(
          (d) => html`<label class="check"><input type="checkbox" .checked=${this._chosen.has(d.id)} @change=${(e: Event) => this.#toggle(d.id, (e.target as HTMLInputElement).checked)} />
            ${d.name} <span class="muted">${roomName(d.room)}</span></label>`,
        )}
      </fieldset>
      <div class="inline">
        <label>Move to
          <select .value=${live(this._target)} @change=${(e: Event) => (this._target = (e.target as HTMLSelectElement).value)}>
            ${this.rooms.map((r) => html`<option value=${r.id}>${r.name}</option>`)}
            <option value="">No room</option>
          </select>
        </label>
        <button ?disabled=${this._chosen.size === 0} @click=${() => void this.#move()}>Move ${this._chosen.size} ${this._chosen.size === 1 ? 'device' : 'devices'}</button>
      </div>
    </section>`;
  }

  override willUpdate(): void {
    // Moving to a room that was just removed would be refused: fall back to the first room.
    if (this._target !== '' && !this.rooms.some((r) => r.id === this._target)) this._target = this.rooms[0]?.id ?? '';
    if (this._target === '' && !this.hasUpdated) this._target = this.rooms[0]?.id ?? '';
  }

  static override styles = [
    panelStyles,
    css`
      .rooms {
        list-style: none;
        margin: 0 0 16px;
        padding: 0;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 8px;
      }
      .rooms li {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .rooms input {
        flex: 1;
        min-width: 0;
      }
      .rooms button:not(.danger) {
        min-width: 44px;
        padding: 0;
      }
      .count {
        min-width: 2ch;
        text-align: right;
      }
      .inline {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 8px;
      }
      .inline label {
        flex: 1 1 180px;
        margin: 0;
      }
      fieldset {
        border: 0;
        margin: 0 0 12px;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
        gap: 0 12px;
      }
      fieldset .check {
        min-height: 44px;
        margin: 0;
      }
      .muted {
        color: var(--hearth-text-muted);
        font-size: 0.8125rem;
      }
      .message {
        margin: 12px 20px 0;
        padding: 10px 12px;
        border-radius: 10px;
        background: var(--hearth-ok-soft);
      }
      .message.error {
        color: var(--hearth-danger);
        background: var(--hearth-danger-soft);
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
    `,
  ];
}

customElements.define('hearth-rooms-panel', HearthRoomsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-rooms-panel': HearthRoomsPanel;
  }
}
