import { css, html, nothing } from 'lit';
import type { BinarySensorCapability, SensorCapability } from '../../../hub/protocol/device.js';
import { capabilityIcon, icon } from '../icons.js';

/** A read-only tile: the capability's label over its value; `detected` highlights it. */
export function tile(deviceId: string, capability: SensorCapability | BinarySensorCapability, text: string, unit = '', detected = false) {
  return html`
    <div class="tile ${detected ? 'detected' : ''}" data-testid="sensor-${deviceId}-${capability.property}">
      <span class="label">${icon(capabilityIcon(capability))}${capability.label}</span>
      <span class="value">${text}${unit ? html`<span class="unit">${unit}</span>` : nothing}</span>
    </div>
  `;
}

/** The small inline form of a reading: icon and value, its label for screen readers; `flagged` stands out. */
export function chip(capability: SensorCapability | BinarySensorCapability, text: string, flagged = false) {
  return html`<span class="chip ${flagged ? 'low' : ''}" title=${capability.label} aria-label="${capability.label} ${text}">${icon(capabilityIcon(capability))}${text}</span>`;
}

export const tileStyles = css`
  :host {
    display: block;
  }
  :host([compact]) {
    display: inline-flex;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 3px;
    font-variant-numeric: tabular-nums;
  }
  .chip svg {
    width: 14px;
    height: 14px;
  }
  .chip.low {
    color: var(--hearth-danger);
    font-weight: 600;
  }
  .tile {
    display: flex;
    flex-direction: column;
    gap: 4px;
    box-sizing: border-box;
    height: 100%;
    padding: 12px 14px;
    border-radius: var(--hearth-radius-sm);
    background: var(--hearth-surface-2);
    transition: background-color 200ms, color 200ms;
  }
  .label {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 0.8125rem;
    color: var(--hearth-text-muted);
  }
  .label svg {
    width: 16px;
    height: 16px;
    flex: none;
  }
  .value {
    font-size: 1.3125rem;
    font-weight: 650;
    letter-spacing: -0.01em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .unit {
    margin-left: 3px;
    font-size: 0.8125rem;
    font-weight: 500;
    letter-spacing: 0;
    color: var(--hearth-text-muted);
  }
  .tile.detected {
    background: var(--hearth-accent-soft);
  }
  .tile.detected .value,
  .tile.detected .label {
    color: var(--hearth-accent-text);
  }
`;
