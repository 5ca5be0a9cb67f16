/**
 * Which card shows which kind of device, and how the kinds are grouped on the page. Adding a
 * kind is one card file plus one entry here.
 */
import { html, literal, type StaticValue } from 'lit/static-html.js';
import type { Device, DeviceKind } from '../../../hub/protocol/device.js';
import type { Confirmation, DevicePending } from '../store.js';
import './light-card.js';
import './sensor-card.js';
import './switch-card.js';

interface KindEntry {
  tag: StaticValue;
  /** Section heading on the dashboard. */
  title: string;
}

export const KINDS: Readonly<Record<DeviceKind, KindEntry>> = {
  light: { tag: literal`hearth-light-card`, title: 'Lights' },
  switch: { tag: literal`hearth-switch-card`, title: 'Plugs & switches' },
  sensor: { tag: literal`hearth-sensor-card`, title: 'Sensors' },
};

/** Section order on the page. */
export const KIND_ORDER: readonly DeviceKind[] = ['light', 'switch', 'sensor'];

export interface CardOptions {
  /** The person may look but not change (a viewer): controls show, disabled. */
  readOnly: boolean;
  /** The small tile of the phone layout: name, state and switch only. */
  compact: boolean;
}

export function renderCard(device: Device, pending: DevicePending | undefined, confirmation: Confirmation | undefined, options: CardOptions) {
  const { tag } = KINDS[device.kind] ?? KINDS.sensor;
  return html`<${tag} .device=${device} .pending=${pending} .confirmation=${confirmation} ?read-only=${options.readOnly} ?compact=${options.compact}></${tag}>`;
}
