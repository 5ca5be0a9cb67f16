/**
 * Which element controls which capability: one entry per capability type. Adding a
 * capability to the dashboard is one control file plus one line here.
 */
import { nothing } from 'lit';
import { html, literal, type StaticValue } from 'lit/static-html.js';
import type { Capability, CapabilityType, Device } from '../../../hub/protocol/device.js';
import type { DevicePending } from '../store.js';
import './binary-sensor-value.js';
import './brightness-control.js';
import './color-control.js';
import './color-temp-control.js';
import './effect-control.js';
import './sensor-value.js';
import './switch-control.js';

const CONTROLS: Readonly<Record<CapabilityType, StaticValue>> = {
  switch: literal`hearth-switch-control`,
  brightness: literal`hearth-brightness-control`,
  colorTemp: literal`hearth-color-temp-control`,
  color: literal`hearth-color-control`,
  effect: literal`hearth-effect-control`,
  sensor: literal`hearth-sensor-value`,
  binarySensor: literal`hearth-binary-sensor-value`,
};

export interface ControlOptions {
  /** Slot in the card frame to put the controls in. */
  slot?: string;
  /** Small inline form, for diagnostics such as a battery level. */
  compact?: boolean;
  /** Shown but not usable: the person may look, not change (a viewer). */
  readOnly?: boolean;
  /** An order of their own instead of the device's (readings, which devices announce in any order). */
  order?: (a: Capability, b: Capability) => number;
}

/** The controls for the device's capabilities that `include` accepts, in the device's order. */
export function renderControls(device: Device, pending: DevicePending | undefined, include: (c: Capability) => boolean, options: ControlOptions = {}) {
  const chosen = device.capabilities.filter(include);
  if (options.order) chosen.sort(options.order);
  if (chosen.length === 0) return nothing;
  return chosen.map((capability) => {
    const tag = CONTROLS[capability.type];
    return html`<${tag}
      slot=${options.slot ?? nothing}
      ?compact=${options.compact ?? false}
      .device=${device}
      .capability=${capability}
      .pending=${pending?.[capability.property as keyof DevicePending]}
      ?disabled=${!device.online || (options.readOnly ?? false)}
    ></${tag}>`;
  });
}
