/**
 * The editor's small pickers: a device, then one of its properties, then a value that suits
 * that property. Pure functions returning templates; changes go back through `set`.
 */
import { html, nothing } from 'lit';
import type { Capability, Device, StateValue } from '../../../hub/protocol/device.js';

export interface EditorData {
  devices: readonly Device[];
  rooms: readonly { id: string; name: string }[];
  scenes: readonly { id: string; name: string }[];
  automations: readonly { id: string; name: string }[];
}

const valueOf = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

export function pickDevice(label: string, value: string, devices: readonly Device[], set: (id: string) => void) {
  return html`<label>${label}
    <select aria-label=${label} @change=${(e: Event) => set(valueOf(e))}>
      <option value="" ?selected=${value === ''} disabled>Choose a device</option>
      ${devices.map((d) => html`<option value=${d.id} ?selected=${d.id === value}>${d.name}</option>`)}
    </select>
  </label>`;
}

export function pickProperty(device: Device | undefined, value: string, keep: (c: Capability) => boolean, set: (property: string) => void) {
  const choices = device?.capabilities.filter(keep) ?? [];
  if (!device) return nothing;
  return html`<label>Property
    <select aria-label="Property" @change=${(e: Event) => set(valueOf(e))}>
      <option value="" ?selected=${value === ''} disabled>Choose a property</option>
      ${choices.map((c) => html`<option value=${c.property} ?selected=${c.property === value}>${propertyLabel(c)}</option>`)}
    </select>
  </label>`;
}

const PROPERTY_LABELS: Readonly<Partial<Record<Capability['type'], string>>> = { switch: 'On/off', brightness: 'Brightness', colorTemp: 'Colour temperature', effect: 'Effect' };

export function propertyLabel(c: Capability): string {
  return 'label' in c ? c.label : PROPERTY_LABELS[c.type] ?? c.property;
}

/** Words for true and false: what a door, a motion sensor or a switch says. */
const BOOLEAN_WORDS: Readonly<Record<string, [string, string]>> = {
  motion: ['Motion detected', 'No motion'],
  occupancy: ['Occupied', 'Clear'],
  door: ['Open', 'Closed'],
  window: ['Open', 'Closed'],
};

export function booleanWords(c: Capability | undefined): [string, string] {
  if (c?.type === 'binarySensor') return BOOLEAN_WORDS[c.deviceClass ?? ''] ?? ['On', 'Off'];
  return ['On', 'Off'];
}

export const isNumeric = (c: Capability) => c.type === 'sensor' || c.type === 'brightness' || c.type === 'colorTemp';

/** A value for this property: on/off for switches and binary sensors, a list for effects, else a number. */
export function pickValue(label: string, c: Capability | undefined, value: StateValue | undefined, set: (v: StateValue) => void) {
  if (!c) return nothing;
  if (c.type === 'switch' || c.type === 'binarySensor') {
    const [yes, no] = booleanWords(c);
    return html`<label>${label}
      <select aria-label=${label} @change=${(e: Event) => set(valueOf(e) === 'true')}>
        <option value="true" ?selected=${value === true}>${yes}</option>
        <option value="false" ?selected=${value === false}>${no}</option>
      </select>
    </label>`;
  }
  if (c.type === 'effect') {
    return html`<label>${label}
      <select aria-label=${label} @change=${(e: Event) => set(valueOf(e))}>${c.options.map((o) => html`<option ?selected=${o === value}>${o}</option>`)}</select>
    </label>`;
  }
  return html`<label>${label}
    <input type="number" aria-label=${label} .value=${typeof value === 'number' ? String(value) : ''} @change=${(e: Event) => set(Number(valueOf(e)))} />
  </label>`;
}

/** A first value that makes sense for the property, so a fresh rule is valid as it stands. */
export function defaultValue(c: Capability | undefined): StateValue {
  if (!c) return null;
  if (c.type === 'switch' || c.type === 'binarySensor') return true;
  if (c.type === 'effect') return c.options[0] ?? null;
  if (c.type === 'brightness') return 128;
  if (c.type === 'colorTemp') return c.min;
  return 0;
}

export function capabilityOf(devices: readonly Device[], id: string, property: string): Capability | undefined {
  return devices.find((d) => d.id === id)?.capabilities.find((c) => c.property === property);
}

export function numberField(label: string, value: number | undefined, set: (v: number | undefined) => void, attrs: { min?: number; max?: number; step?: number } = {}) {
  return html`<label>${label}
    <input type="number" aria-label=${label} min=${attrs.min ?? ''} max=${attrs.max ?? ''} step=${attrs.step ?? 'any'} .value=${value === undefined ? '' : String(value)}
      @change=${(e: Event) => {
        const text = valueOf(e);
        set(text === '' ? undefined : Number(text));
      }} />
  </label>`;
}

export function choice<T extends string>(label: string, value: T, options: readonly (readonly [T, string])[], set: (v: T) => void) {
  return html`<label>${label}
    <select aria-label=${label} @change=${(e: Event) => set(valueOf(e) as T)}>${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}</select>
  </label>`;
}
