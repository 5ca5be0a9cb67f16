/**
 * Icons as inline SVG (paths from Material Design Icons, Apache-2.0), picked by device kind
 * and Home Assistant device class from lookup tables.
 */
import { svg, type SVGTemplateResult } from 'lit';
import type { Capability, Device, DeviceKind } from '../../hub/protocol/device.js';

const PATHS = {
  flame: 'M12 2c1 3.5 5 5.6 5 10.5a5 5 0 0 1-10 0c0-2 1-3.6 2.2-4.6.2 1.6 1 2.7 2.1 3.1C11 8.5 11.3 5 12 2z',
  bulb: 'M12,2A7,7 0 0,0 5,9C5,11.38 6.19,13.47 8,14.74V17A1,1 0 0,0 9,18H15A1,1 0 0,0 16,17V14.74C17.81,13.47 19,11.38 19,9A7,7 0 0,0 12,2M9,21A1,1 0 0,0 10,22H14A1,1 0 0,0 15,21V20H9V21Z',
  plug: 'M16,7V3H14V7H10V3H8V7C7,7 6,8 6,9V14.5L9.5,18V21H14.5V18L18,14.5V9C18,8 17,7 16,7Z',
  thermometer: 'M15 13V5A3 3 0 0 0 9 5V13A5 5 0 1 0 15 13M12 4A1 1 0 0 1 13 5V8H11V5A1 1 0 0 1 12 4Z',
  humidity: 'M12,3.25C12,3.25 6,10 6,14C6,17.32 8.69,20 12,20A6,6 0 0,0 18,14C18,10 12,3.25 12,3.25Z',
  motion: 'M14.12,10H19V8.2H15.38L13.38,4.87C13.08,4.37 12.54,4.03 11.92,4.03C11.74,4.03 11.58,4.06 11.42,4.11L6,5.8V11H7.8V7.33L9.91,6.67L6,22H7.8L10.67,13.89L13,17V22H14.8V15.59L12.31,11.05L13.04,8.18M14,3.8C15,3.8 15.8,3 15.8,2C15.8,1 15,0.2 14,0.2C13,0.2 12.2,1 12.2,2C12.2,3 13,3.8 14,3.8Z',
  door: 'M8,3C6.89,3 6,3.89 6,5V21H18V5C18,3.89 17.11,3 16,3H8M8,5H16V19H8V5M13,11V13H15V11H13Z',
  flash: 'M7,2V13H10V22L17,10H13L17,2H7Z',
  battery: 'M16,4H15V2H9V4H8A2,2 0 0,0 6,6V20A2,2 0 0,0 8,22H16A2,2 0 0,0 18,20V6A2,2 0 0,0 16,4Z',
  gauge: 'M3 13h2v8H3zm4-4h2v12H7zm4-6h2v18h-2zm4 9h2v9h-2zm4-3h2v12h-2z',
  grid: 'M3,11H11V3H3M3,21H11V13H3M13,21H21V13H13M13,3V11H21V3',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGTemplateResult {
  return svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d=${PATHS[name]}></path></svg>`;
}

const BY_KIND: Readonly<Record<DeviceKind, IconName>> = { light: 'bulb', switch: 'plug', sensor: 'gauge' };

const BY_DEVICE_CLASS: Readonly<Record<string, IconName>> = {
  temperature: 'thermometer',
  humidity: 'humidity',
  moisture: 'humidity',
  motion: 'motion',
  occupancy: 'motion',
  presence: 'motion',
  door: 'door',
  window: 'door',
  garage_door: 'door',
  opening: 'door',
  power: 'flash',
  energy: 'flash',
  voltage: 'flash',
  current: 'flash',
  battery: 'battery',
};

export function capabilityIcon(capability: Capability): IconName {
  return ('deviceClass' in capability && BY_DEVICE_CLASS[capability.deviceClass ?? '']) || 'gauge';
}

/** A sensor device looks like what it mainly senses: its first classified reading. */
export function deviceIcon(device: Pick<Device, 'kind' | 'capabilities'>): IconName {
  if (device.kind !== 'sensor') return BY_KIND[device.kind];
  const classified = device.capabilities.map(capabilityIcon).find((name) => name !== 'gauge' && name !== 'battery');
  return classified ?? BY_KIND.sensor;
}
