import { LitElement, css, html, nothing } from 'lit';
import type { Device } from '../../../hub/protocol/device.js';
import { requestDetails } from '../events.js';
import { deviceIcon, icon } from '../icons.js';
import '../confirmation-note.js';
import type { Confirmation } from '../store.js';

/**
 * The frame every device card shares: icon, name, online badge and when it last reported.
 * The kind's control goes in the `action` slot, its details in the default slot.
 */
export class HearthCard extends LitElement {
  static override properties = { device: { attribute: false }, confirmation: { attribute: false }, active: { type: Boolean }, tint: {}, compact: { type: Boolean, reflect: true }, _hasBody: { state: true } };

  declare device: Device;
  /** The device's last confirmed command: "confirmed in 12 ms" takes the place of "updated" for a while. */
  declare confirmation: Confirmation | undefined;
  /** The device is doing something: a light or plug on, motion detected. */
  declare active: boolean;
  /** The colour a light glows, to tint its icon. */
  declare tint: string | null;
  /** The phone's small tile: less padding, no "updated" line unless offline. */
  declare compact: boolean;
  declare _hasBody: boolean;

  constructor() {
    super();
    this.active = false;
    this.tint = null;
    this.compact = false;
    this._hasBody = false;
  }

  #onBodySlotChange(event: Event): void {
    this._hasBody = (event.target as HTMLSlotElement).assignedElements().length > 0;
  }

  override render() {
    const { id, name, online, lastSeen } = this.device;
    const tint = this.active && online && this.tint ? `--tint: ${this.tint}` : '';
    return html`
      <article data-testid="card-${id}" data-online=${String(online)} class=${online ? (this.active ? 'active' : '') : 'offline'} aria-label=${name}>
        <header>
          <span class="icon" style=${tint}>${icon(deviceIcon(this.device))}</span>
          <div class="title">
            <h3><button class="name" aria-label="Details of ${name}" @click=${() => requestDetails(this, id)}>${name}</button></h3>
            <p class="meta">
              ${online
                ? this.compact ? nothing : html`<span class="badge online">Online</span>`
                : html`<span class="badge offline">Offline</span>`}
              <hearth-confirmation-note .confirmation=${this.confirmation} .time=${this.compact ? undefined : lastSeen} prefix=${online ? 'updated' : 'last seen'}></hearth-confirmation-note>
              <slot name="meta"></slot>
            </p>
          </div>
          <slot name="action"></slot>
        </header>
        <div class="body" ?hidden=${!this._hasBody}><slot @slotchange=${this.#onBodySlotChange}></slot></div>
      </article>
    `;
  }

  static override styles = css`
    :host {
      display: block;
    }
    article {
      box-sizing: border-box;
      height: 100%;
      display: flex;
      flex-direction: column;
      gap: 16px;
      padding: 16px;
      background: var(--hearth-surface);
      border: 1px solid var(--hearth-border);
      border-radius: var(--hearth-radius);
      box-shadow: var(--hearth-shadow);
      transition: border-color 200ms, background-color 200ms;
    }
    article.active {
      border-color: color-mix(in srgb, var(--hearth-accent) 35%, var(--hearth-border));
    }
    header {
      display: flex;
      align-items: center;
      gap: 12px;
      min-height: 48px;
    }
    .icon {
      flex: none;
      display: grid;
      place-items: center;
      width: 44px;
      height: 44px;
      border-radius: 14px;
      color: var(--hearth-text-muted);
      background: var(--hearth-surface-2);
      transition: color 200ms, background-color 200ms;
    }
    .icon svg {
      width: 24px;
      height: 24px;
    }
    .active .icon {
      color: var(--tint, var(--hearth-accent));
      background: color-mix(in srgb, var(--tint, var(--hearth-accent)) 16%, var(--hearth-surface));
    }
    .title {
      flex: 1;
      min-width: 0;
    }
    h3 {
      margin: 0;
      font-size: 1rem;
      font-weight: 600;
      line-height: 1.3;
      overflow: hidden;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      overflow-wrap: anywhere;
    }
    .name {
      all: unset;
      cursor: pointer;
      border-radius: 4px;
    }
    .name:hover {
      text-decoration: underline;
    }
    .name:focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 2px 10px;
      margin: 3px 0 0;
      font-size: 0.8125rem;
      color: var(--hearth-text-muted);
    }
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 5px;
      font-weight: 600;
    }
    .badge.online {
      color: var(--hearth-ok);
    }
    .badge.online::before {
      content: '';
      width: 7px;
      height: 7px;
      border-radius: 50%;
      background: currentColor;
    }
    .badge.offline {
      padding: 1px 8px;
      border-radius: 999px;
      color: var(--hearth-danger);
      background: var(--hearth-danger-soft);
    }
    /* Dimmed by colour, not by opacity: at 55% opacity the text fell to about 4:1 contrast. */
    .offline .icon {
      opacity: 0.6;
    }
    .offline h3 {
      color: var(--hearth-text-muted);
    }
    .offline .body {
      filter: grayscale(1);
    }
    [hidden] {
      display: none;
    }
    :host([compact]) article {
      gap: 8px;
      padding: 10px 10px 10px 12px;
    }
    :host([compact]) header {
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 4px 8px;
      min-height: 0;
    }
    :host([compact]) .title {
      order: 3;
      flex-basis: 100%;
    }
    :host([compact]) .icon {
      width: 32px;
      height: 32px;
      border-radius: 10px;
    }
    :host([compact]) .icon svg {
      width: 20px;
      height: 20px;
    }
    :host([compact]) h3 {
      font-size: 0.9375rem;
    }
  `;
}

customElements.define('hearth-card', HearthCard);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-card': HearthCard;
  }
}
