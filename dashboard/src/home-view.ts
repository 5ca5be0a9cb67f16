import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Device } from '../../hub/protocol/device.js';
import { LOOK_ONLY, type Abilities } from './abilities.js';
import { KIND_ORDER, KINDS, renderCard } from './cards/index.js';
import { homeStyles } from './home-view.styles.js';
import { byOrder, filtering, matches, NO_FILTER, type Filter } from './home-filter.js';
import type { SceneView } from '../../hub/protocol/automations.js';
import './automations/room-actions.js';
import './automations/scenes-strip.js';
import { icon } from './icons.js';
import { initialState, type StoreState } from './store.js';

/** Where the phone layout choice is kept, per browser. */
const LAYOUT_KEY = 'hearth.layout';

interface Group {
  id: string;
  title: string;
  devices: Device[];
  /** The room this group is; its header then acts on the room's lights. */
  room?: string;
}

/**
 * The home: the toolbar (search, filters, layout) and the devices room by room, or by kind
 * while the home has no rooms. Data down from the root; asks for the rooms and add-device
 * dialogs with `manage-rooms` and `add-device` events.
 */
export class HearthHome extends LitElement {
  static override properties = { state: { attribute: false }, abilities: { attribute: false }, scenes: { attribute: false }, _filter: { state: true }, _compact: { state: true } };
  static override styles = homeStyles;

  declare state: StoreState;
  declare abilities: Abilities;
  /** The scenes strip's buttons (automations/scenes-strip.ts). */
  declare scenes: readonly SceneView[];
  declare _filter: Filter;
  /** Small tiles, two to a row on a phone. */
  declare _compact: boolean;

  constructor() {
    super();
    this.state = initialState;
    this.abilities = LOOK_ONLY;
    this.scenes = [];
    this._filter = NO_FILTER;
    this._compact = localStorage.getItem(LAYOUT_KEY) === 'compact';
  }

  #setCompact(compact: boolean): void {
    this._compact = compact;
    localStorage.setItem(LAYOUT_KEY, compact ? 'compact' : 'cards');
  }

  #ask(type: 'manage-rooms' | 'add-device'): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  override render() {
    const state = this.state;
    const visible = [...state.devices.values()].filter((d) => matches(d, this._filter, state.rooms)).sort(byOrder);
    const favourites = visible.filter((d) => d.favourite);
    const { control, admin } = this.abilities;
    return html`${this.#renderToolbar()}
      <hearth-scenes-strip .scenes=${this.scenes} .devices=${state.devices} ?canControl=${control} ?canEdit=${admin}></hearth-scenes-strip>
      ${favourites.length && !filtering(this._filter) ? this.#section({ id: 'favourites', title: 'Favourites', devices: favourites }) : nothing}
      ${this.#groups(visible).map((g) => this.#section(g))}
      ${visible.length === 0
        ? html`<div class="no-match" role="status">
            <p>No device matches these filters.</p>
            <button @click=${() => (this._filter = NO_FILTER)}>Clear filters</button>
          </div>`
        : nothing}`;
  }

  /** Room by room in the user's order, then the devices without one; by kind while there are no rooms. */
  #groups(visible: Device[]): Group[] {
    const { rooms } = this.state;
    if (rooms.length === 0) return KIND_ORDER.map((kind) => ({ id: `kind-${kind}`, title: KINDS[kind].title, devices: visible.filter((d) => d.kind === kind) }));
    return [
      ...rooms.map((room) => ({ id: `room-${room.id}`, title: room.name, devices: visible.filter((d) => d.room === room.id), room: room.id })),
      { id: 'room-none', title: 'No room', devices: visible.filter((d) => d.room === null || !rooms.some((r) => r.id === d.room)) },
    ];
  }

  #section({ id, title, devices, room }: Group) {
    if (devices.length === 0) return nothing;
    const { pending, confirmations } = this.state;
    const options = { readOnly: !this.abilities.control, compact: this._compact };
    return html`
      <section aria-labelledby="section-${id}" data-section=${id}>
        <div class="section-head">
          <h2 id="section-${id}">${title} <span class="count">${devices.length}</span></h2>
          ${room && this.abilities.control
            ? html`<hearth-room-actions .room=${room} label=${title} .lights=${devices.filter((d) => d.kind === 'light')} .devices=${this.state.devices}></hearth-room-actions>`
            : nothing}
        </div>
        <div class="grid ${this._compact ? 'compact' : ''}">
          ${repeat(devices, (d) => d.id, (d) => renderCard(d, pending.get(d.id), confirmations.get(d.id), options))}
        </div>
      </section>
    `;
  }

  #renderToolbar() {
    const f = this._filter;
    const set = (change: Partial<Filter>) => (this._filter = { ...f, ...change });
    const { rooms } = this.state;
    return html`
      <form class="toolbar" role="search" aria-label="Devices" @submit=${(e: Event) => e.preventDefault()}>
        <input type="search" aria-label="Search devices" placeholder="Search name, room or kind" .value=${f.text} @input=${(e: Event) => set({ text: (e.target as HTMLInputElement).value })} />
        <button type="button" class="layout" aria-pressed=${this._compact ? 'true' : 'false'} title="Small tiles" @click=${() => this.#setCompact(!this._compact)}>
          ${icon('grid')}<span class="visually-hidden">Small tiles</span>
        </button>
        <div class="filters">
          <select aria-label="Kind" .value=${f.kind} @change=${(e: Event) => set({ kind: (e.target as HTMLSelectElement).value as Filter['kind'] })}>
            <option value="">All kinds</option>
            ${KIND_ORDER.map((k) => html`<option value=${k} ?selected=${f.kind === k}>${KINDS[k].title}</option>`)}
          </select>
          ${rooms.length
            ? html`<select aria-label="Room" @change=${(e: Event) => set({ room: (e.target as HTMLSelectElement).value })}>
                <option value="" ?selected=${f.room === ''}>All rooms</option>
                ${rooms.map((r) => html`<option value=${r.id} ?selected=${f.room === r.id}>${r.name}</option>`)}
                <option value="none" ?selected=${f.room === 'none'}>No room</option>
              </select>`
            : nothing}
          <label class="check"><input type="checkbox" .checked=${f.onlineOnly} @change=${(e: Event) => set({ onlineOnly: (e.target as HTMLInputElement).checked })} /> Online only</label>
          ${this.abilities.admin
            ? html`<button type="button" @click=${() => this.#ask('manage-rooms')}>Rooms</button>
                <button type="button" @click=${() => this.#ask('add-device')}>Add device</button>`
            : nothing}
        </div>
      </form>
    `;
  }
}

customElements.define('hearth-home', HearthHome);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-home': HearthHome;
  }
}
