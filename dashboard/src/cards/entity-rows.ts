import { LitElement, css, html } from 'lit';
import type { Capability, Device } from '../../../hub/protocol/device.js';
import { renderControls } from '../controls/index.js';
import { byEntity } from '../entities.js';
import type { DevicePending } from '../store.js';

/**
 * The on/off of each entity of a device that switches several things (two relays, two
 * lights), each under its own name with its own settings below it, so one card says which
 * gang is on. A device with one switch keeps it in the card's corner instead.
 */
export class HearthEntityRows extends LitElement {
  static override properties = { device: { attribute: false }, pending: { attribute: false }, include: { attribute: false }, readOnly: { type: Boolean, attribute: 'read-only' } };

  declare device: Device;
  declare pending: DevicePending | undefined;
  /** The capabilities shown here besides the switches: the card's settings. */
  declare include: (c: Capability) => boolean;
  /** Shown but not usable (a viewer). */
  declare readOnly: boolean;

  constructor() {
    super();
    this.readOnly = false;
  }

  override render() {
    const groups = byEntity(this.device, (c) => c.type === 'switch' || this.include(c)).filter((g) => g.capabilities.some((c) => c.type === 'switch'));
    return groups.map(({ entity, capabilities }) => {
      const own = new Set(capabilities);
      return html`
        <div class="entity" data-testid="entity-${this.device.id}-${entity?.id ?? ''}">
          <div class="row">
            <span class="name">${entity?.name ?? this.device.name}</span>
            ${renderControls(this.device, this.pending, (c) => own.has(c) && c.type === 'switch', { readOnly: this.readOnly })}
          </div>
          ${renderControls(this.device, this.pending, (c) => own.has(c) && c.type !== 'switch', { readOnly: this.readOnly })}
        </div>
      `;
    });
  }

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .entity + .entity {
      padding-top: 8px;
      border-top: 1px solid var(--hearth-border);
    }
    .row {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      min-height: 48px;
    }
    .name {
      min-width: 0;
      font-weight: 600;
      overflow-wrap: anywhere;
    }
  `;
}

customElements.define('hearth-entity-rows', HearthEntityRows);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-entity-rows': HearthEntityRows;
  }
}
