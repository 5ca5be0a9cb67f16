/**
 * Pure data helpers for the dashboard: how values read, and what a device's state means.
 * No DOM, no Lit; components call these and stay thin.
 */
import type { BinarySensorCapability, Capability, Device, Rgb, SensorCapability, StateValue } from '../../hub/protocol/device.js';

/** Decimal places per Home Assistant device class; readings of other classes keep up to two. */
const DECIMALS: Readonly<Record<string, number>> = {
  temperature: 1,
  humidity: 1,
  power: 1,
  voltage: 1,
  current: 2,
  energy: 2,
  pressure: 0,
  illuminance: 0,
  battery: 0,
  signal_strength: 0,
};

/** Units written without a space, as people write them (21.5°C, 45%). */
const TIGHT_UNITS = new Set(['%', '°C', '°F', '°']);

export function formatNumber(value: number, decimals: number | undefined, locale?: string): string {
  const options = decimals === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return new Intl.NumberFormat(locale, options).format(value);
}

/** A sensor reading split for display: the number (locale-formatted) and its unit, if any. */
export function readingParts(value: StateValue | undefined, capability: Pick<SensorCapability, 'unit' | 'deviceClass'>, locale?: string): { text: string; unit: string } {
  if (value === null || value === undefined) return { text: '—', unit: '' };
  if (typeof value !== 'number') return { text: String(value), unit: '' };
  return { text: formatNumber(value, DECIMALS[capability.deviceClass ?? ''], locale), unit: capability.unit ?? '' };
}

/** A sensor reading with its unit, e.g. `21.4°C`, `1,204.5 W`; `—` when the device has not reported it. */
export function formatReading(value: StateValue | undefined, capability: Pick<SensorCapability, 'unit' | 'deviceClass'>, locale?: string): string {
  const { text, unit } = readingParts(value, capability, locale);
  if (!unit) return text;
  return TIGHT_UNITS.has(unit) ? `${text}${unit}` : `${text} ${unit}`;
}

/** What a binary sensor's true and false mean, by device class. */
const BINARY_TEXT: Readonly<Record<string, readonly [on: string, off: string]>> = {
  motion: ['Motion', 'Clear'],
  occupancy: ['Occupied', 'Clear'],
  presence: ['Home', 'Away'],
  door: ['Open', 'Closed'],
  window: ['Open', 'Closed'],
  garage_door: ['Open', 'Closed'],
  opening: ['Open', 'Closed'],
  moisture: ['Wet', 'Dry'],
  smoke: ['Smoke', 'Clear'],
  gas: ['Gas', 'Clear'],
  battery: ['Low', 'Normal'],
  connectivity: ['Connected', 'Disconnected'],
};

export function formatBinary(value: StateValue | undefined, capability: Pick<BinarySensorCapability, 'deviceClass'>): string {
  if (typeof value !== 'boolean') return '—';
  const [on, off] = BINARY_TEXT[capability.deviceClass ?? ''] ?? ['On', 'Off'];
  return value ? on : off;
}

/** Hub brightness (0-255) as a whole percentage. */
export function brightnessPercent(value: number): number {
  return Math.round((Math.min(255, Math.max(0, value)) / 255) * 100);
}

/** Colour temperature: mireds are 1,000,000 / kelvin. Rounded to 10 K, as lamps are labelled. */
export function kelvinFromMireds(mireds: number): number {
  return mireds > 0 ? Math.round(1_000_000 / mireds / 10) * 10 : 0;
}

export function formatKelvin(mireds: number, locale?: string): string {
  return `${formatNumber(kelvinFromMireds(mireds), 0, locale)} K`;
}

export function rgbToHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

export function hexToRgb(hex: string): Rgb | null {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return null;
  const [r, g, b] = match.slice(1).map((part) => parseInt(part, 16)) as [number, number, number];
  return { r, g, b };
}

export function isRgb(value: StateValue | undefined): value is Rgb {
  return typeof value === 'object' && value !== null && 'r' in value && 'g' in value && 'b' in value;
}

/**
 * Approximate sRGB of black-body light (Tanner Helland's fit), good enough to tint an icon
 * the colour a white lamp is glowing.
 */
export function rgbFromKelvin(kelvin: number): Rgb {
  const t = Math.min(40000, Math.max(1000, kelvin)) / 100;
  const clamp = (v: number) => Math.round(Math.min(255, Math.max(0, v)));
  const r = t <= 66 ? 255 : 329.698727446 * Math.pow(t - 60, -0.1332047592);
  const g = t <= 66 ? 99.4708025861 * Math.log(t) - 161.1195681661 : 288.1221695283 * Math.pow(t - 60, -0.0755148492);
  const b = t >= 66 ? 255 : t <= 19 ? 0 : 138.5177312231 * Math.log(t - 10) - 305.0447927307;
  return { r: clamp(r), g: clamp(g), b: clamp(b) };
}

/** The colour a light is showing, as CSS, or null when it is off or we cannot tell. */
export function lightColor(state: Device['state']): string | null {
  if (state.on === false) return null;
  const mode = state.colorMode;
  if (isRgb(state.color) && mode !== 'color_temp') return rgbToHex(state.color);
  if (typeof state.colorTemp === 'number') return rgbToHex(rgbFromKelvin(kelvinFromMireds(state.colorTemp)));
  return null;
}

/** 'just now', '12 s ago', '5 min ago', '3 h ago', '2 d ago'; 'never' for a device never heard from. */
export function formatRelative(then: number | null, now: number): string {
  if (then === null) return 'never';
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The value two commands or states are compared by: colours by their channels. */
export function sameValue(a: StateValue | undefined, b: StateValue | undefined): boolean {
  if (isRgb(a) && isRgb(b)) return a.r === b.r && a.g === b.g && a.b === b.b;
  return a === b;
}

/** Labels of a two-state value in charts and readouts: "Off"/"On", or by device class ("Closed"/"Open"). */
export function binaryLabels(capability: Capability): [off: string, on: string] {
  return capability.type === 'binarySensor' ? [formatBinary(false, capability), formatBinary(true, capability)] : ['Off', 'On'];
}

const FORMATTERS: { [T in Capability['type']]: (value: NonNullable<StateValue>, capability: Extract<Capability, { type: T }>) => string } = {
  sensor: (value, c) => formatReading(value, c),
  binarySensor: (value, c) => formatBinary(value, c),
  switch: (value) => (value === true ? 'On' : 'Off'),
  brightness: (value) => (typeof value === 'number' ? `${brightnessPercent(value)}%` : String(value)),
  colorTemp: (value) => (typeof value === 'number' ? formatKelvin(value) : String(value)),
  color: (value) => (isRgb(value) ? rgbToHex(value) : String(value)),
  effect: (value) => String(value),
};

/** A capability's value as the device page and chart readouts show it; "—" when unknown. */
export function formatCapabilityValue(value: StateValue | undefined, capability: Capability): string {
  if (value === undefined || value === null) return '—';
  return (FORMATTERS[capability.type] as (v: NonNullable<StateValue>, c: Capability) => string)(value, capability);
}

/** Time labels on a chart's axis, in the page's language: hours and minutes for an hour or a day, the day for a week. */
export function timeLabel(rangeMs: number, locale?: string): (epochMs: number) => string {
  const options: Intl.DateTimeFormatOptions = rangeMs > 36 * 3_600_000 ? { weekday: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' };
  const format = new Intl.DateTimeFormat(locale, options);
  return (epochMs) => format.format(epochMs);
}

/** Readings in a fixed order (temperature before humidity, power before energy), whatever order the device announced them in. */
const READING_ORDER = ['temperature', 'humidity', 'pressure', 'illuminance', 'power', 'energy', 'voltage', 'current', 'motion', 'occupancy', 'door', 'window', 'contact'];

export function byReadingOrder(a: Capability, b: Capability): number {
  const rank = (c: Capability) => {
    const index = READING_ORDER.indexOf(('deviceClass' in c && c.deviceClass) || c.property);
    return index === -1 ? READING_ORDER.length : index;
  };
  return rank(a) - rank(b) || a.property.localeCompare(b.property);
}
