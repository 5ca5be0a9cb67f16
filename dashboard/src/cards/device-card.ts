import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { Capability, CapabilityType, Device } from '../../../hub/protocol/device.js';
import { renderControls } from '../controls/index.js';
import { byReadingOrder } from '../format.js';
import type { Confirmation, DevicePending } from '../store.js';
import './card-frame.js';
import './entity-rows.js';

const SETTINGS: readonly CapabilityType[] = ['brightness', 'colorTemp', 'color', 'effect'];
const READINGS: readonly CapabilityType[] = ['sensor', 'binarySensor'];
/** Device classes that describe the device rather than the home: shown small, beside "updated". */
const DIAGNOSTIC = new Set(['battery', 'signal_strength']);

const isDiagnostic = (c: Capability) => ('category' in c && c.category !== undefined) || ('deviceClass' in c && DIAGNOSTIC.has(c.deviceClass ?? ''));
const isSwitch = (c: Capability) => c.type === 'switch';
const isSetting = (c: Capability) => SETTINGS.includes(c.type);
const isReading = (c: Capability) => READINGS.includes(c.type) && !isDiagnostic(c);

/**
 * What the cards of every kind share: the frame, the on/off switch in its corner, settings
 * (sliders, colour), readings (sensor tiles) and diagnostics (battery) beside the frame's
 * "updated". A kind says only what makes it "active"
 * and how its icon is tinted. The element re-renders only when its device or pending
 * object is replaced, which the store does only when that device changed.
 */
export abstract class DeviceCard extends LitElement {
  static override properties = {
    device: { attribute: false },
    pending: { attribute: false },
    confirmation: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
    compact: { type: Boolean, reflect: true },
  };

  declare device: Device;
  declare pending: DevicePending | undefined;
  /** The device's last confirmed command, to say how long it took. */
  declare confirmation: Confirmation | undefined;
  declare readOnly: boolean;
  /** A small tile: sliders and the "updated" line give way; readings show as chips. */
  declare compact: boolean;

  constructor() {
    super();
    this.readOnly = false;
    this.compact = false;
  }

  protected abstract isActive(): boolean;

  protected tint(): string | null {
    return null;
  }

  override render(): TemplateResult {
    const { device, pending, readOnly, compact } = this;
    // Several switches (two relays, two lights) each get a named row with their own settings.
    const rows = !compact && device.capabilities.filter(isSwitch).length > 1;
    const settings = compact || rows ? nothing : renderControls(device, pending, isSetting, { readOnly });
    // A fixed order: a device announcing its readings in another order (after a restart) must not swap its tiles.
    const readings = renderControls(device, pending, isReading, { compact, slot: compact ? 'meta' : undefined, order: byReadingOrder });
    return html`
      <hearth-card .device=${device} .confirmation=${this.confirmation} ?active=${this.isActive()} .tint=${this.tint()} ?compact=${compact}>
        ${rows
          ? html`<hearth-entity-rows .device=${device} .pending=${pending} .include=${isSetting} ?read-only=${readOnly}></hearth-entity-rows>`
          : renderControls(device, pending, isSwitch, { slot: 'action', readOnly })}
        ${compact ? nothing : renderControls(device, pending, isDiagnostic, { slot: 'meta', compact: true })}
        ${settings === nothing ? nothing : html`<div class="settings">${settings}</div>`}
        ${readings === nothing || compact ? readings : html`<div class="readings">${readings}</div>`}
      </hearth-card>
    `;
  }

  static override styles = css`
    :host {
      display: block;
    }
    hearth-card {
      height: 100%;
    }
    .settings {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .readings {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(128px, 1fr));
      gap: 8px;
    }
    .settings + .readings,
    hearth-entity-rows + .readings {
      margin-top: 12px;
    }
  `;
}
