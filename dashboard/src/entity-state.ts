import { LitElement, css, html, nothing } from 'lit';
import type { Capability, Device } from '../../hub/protocol/device.js';
import { definitionListStyles } from './definition-list.styles.js';
import { byEntity, hasSeveralEntities } from './entities.js';
import { formatCapabilityValue } from './format.js';

/**
 * A device's current values on its page. A device that groups several entities (two gangs,
 * a light and its power meter) shows each entity's values under the entity's own name, the
 * way the device's app or Home Assistant's device page lists them.
 */
export class HearthEntityState extends LitElement {
  static override properties = { device: { attribute: false } };

  declare device: Device;

  override render() {
    const d = this.device;
    if (!hasSeveralEntities(d)) return html`<dl>${values(d, d.capabilities)}</dl>`;
    return byEntity(d).map(
      ({ entity, capabilities }) => html`
        <section aria-labelledby="entity-${entity?.id ?? ''}" data-testid="entity-state-${entity?.id ?? ''}">
          <h4 id="entity-${entity?.id ?? ''}">${entity?.name ?? d.name}</h4>
          <dl>${values(d, capabilities)}</dl>
        </section>
      `,
    );
  }

  static override styles = [
    definitionListStyles,
    css`
    :host {
      display: block;
      margin-top: 12px;
    }
    section + section {
      margin-top: 12px;
    }
    h4 {
      margin: 0 0 6px;
      font-size: 0.875rem;
      font-weight: 600;
    }
  `,
  ];
}

const values = (device: Device, capabilities: readonly Capability[]) =>
  capabilities.length === 0 ? nothing : capabilities.map((c) => html`<dt>${capabilityLabel(c)}</dt><dd>${formatCapabilityValue(device.state[c.property], c)}</dd>`);

const LABELS: Record<string, string> = { switch: 'Power', brightness: 'Brightness', colorTemp: 'Colour temperature', color: 'Colour', effect: 'Effect' };

/** What a capability is called on the device's page, without its entity. */
export function capabilityLabel(capability: Capability): string {
  return 'label' in capability && capability.label ? capability.label : (LABELS[capability.type] ?? capability.type);
}

customElements.define('hearth-entity-state', HearthEntityState);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-entity-state': HearthEntityState;
  }
}
