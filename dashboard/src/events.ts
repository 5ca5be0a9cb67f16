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
