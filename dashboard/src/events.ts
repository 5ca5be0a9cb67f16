/**
 * Events going up: a leaf element asks for a device command with a bubbling, composed
 * `device-command` event; only the root talks to the hub.
 */
import type { DeviceCommand } from '../../hub/protocol/device.js';

export interface DeviceCommandDetail {
  id: string;
  command: DeviceCommand;
}

export type DeviceCommandEvent = CustomEvent<DeviceCommandDetail>;

declare global {
  interface HTMLElementEventMap {
    'device-command': DeviceCommandEvent;
  }
}

export function requestCommand(from: HTMLElement, id: string, command: DeviceCommand): void {
  from.dispatchEvent(new CustomEvent<DeviceCommandDetail>('device-command', { detail: { id, command }, bubbles: true, composed: true }));
}

/** Asks the root to show a device's page. */
export function requestDetails(from: HTMLElement, id: string): void {
  from.dispatchEvent(new CustomEvent<string>('device-details', { detail: id, bubbles: true, composed: true }));
}

export interface DeviceSettingsDetail {
  id: string;
  /** What to change: `{name}`, `{room}`, `{favourite}`, `{position}`, `{newRoom}` (create a room and put the device in it), or `{remove: true}`. */
  change: { name?: string | null; room?: string | null; favourite?: boolean; position?: number | null; remove?: true; newRoom?: string };
  /** Told whether the hub took the change, so a refused value can go back to the saved one. */
  settled?: (ok: boolean) => void;
}

declare global {
  interface HTMLElementEventMap {
    'device-details': CustomEvent<string>;
    'device-settings': CustomEvent<DeviceSettingsDetail>;
  }
}

export function requestSettings(from: HTMLElement, detail: DeviceSettingsDetail): void {
  from.dispatchEvent(new CustomEvent<DeviceSettingsDetail>('device-settings', { detail, bubbles: true, composed: true }));
}
