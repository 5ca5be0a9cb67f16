/**
 * The WebSocket API at /api/ws, message by message. JSON text frames both ways.
 */
import type { Device, DeviceCommand, DeviceState } from './device.js';

/** Hub to client. */
export type ServerMessage =
  /** First message on every connection: every known device. */
  | { type: 'snapshot'; devices: Device[] }
  /** A device appeared or its description (name, capabilities, source) changed. */
  | { type: 'device'; device: Device }
  /** A device confirmed new state. `state` is the whole merged state, `changed` only what moved. */
  | { type: 'state'; id: string; state: DeviceState; changed: DeviceState; lastSeen: number }
  /** The device went online or offline (its availability topic or last will). */
  | { type: 'availability'; id: string; online: boolean }
  /** The device was removed from the hub. */
  | { type: 'removed'; id: string }
  /** The command with this ref was valid and has been published to the device. */
  | { type: 'ack'; ref: string; id: string }
  /** A message from this client was refused. `ref` echoes the command's ref when there was one. */
  | { type: 'error'; ref?: string; code: string; message: string };

/** Client to hub. `ref` is any string the client picks to match the ack or error. */
export type ClientMessage = { type: 'command'; ref?: string; id: string; command: DeviceCommand };
