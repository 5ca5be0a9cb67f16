/**
 * The event stream, message by message: what the WebSocket API at /api/ws, Server-Sent
 * Events at /api/events and long polling at /api/events/poll carry. JSON throughout.
 */
import type { Automation, Notification, SceneView, Trace } from './automations.js';
import type { Device, DeviceCommand, DeviceState, Room } from './device.js';

export type CommandStatus = 'pending' | 'confirmed' | 'failed';
export type CommandFailure = 'offline' | 'timeout' | 'publish-failed';

/** A command's life: pending when sent, then confirmed by the device's report, or failed. */
export interface CommandRecord {
  id: string;
  device: string;
  command: DeviceCommand;
  status: CommandStatus;
  reason?: CommandFailure;
  /** Epoch milliseconds the hub sent it. */
  issuedAt: number;
  /** Milliseconds from sending to the device's confirming report (confirmed commands only). */
  latencyMs?: number;
}

/**
 * Journalled events. `seq` increases by one per event, never repeats (also across hub
 * restarts), and is what a client gives back to resume.
 */
export type JournalMessage =
  /** A device appeared or its description (name, capabilities, source) changed. */
  | { type: 'device'; seq: number; device: Device }
  /** A device confirmed state. `state` is the whole merged state, `changed` only what moved. */
  | { type: 'state'; seq: number; id: string; state: DeviceState; changed: DeviceState; lastSeen: number }
  /** The device went online or offline (its availability topic or last will). */
  | { type: 'availability'; seq: number; id: string; online: boolean }
  /** The device was removed from the hub. */
  | { type: 'removed'; seq: number; id: string }
  /** A command was sent, confirmed or failed. */
  | { type: 'command'; seq: number; command: CommandRecord }
  /** The rooms changed (added, renamed, reordered, removed): the whole new list. */
  | { type: 'rooms'; seq: number; rooms: Room[] }
  /** The scenes changed: the whole new list. */
  | { type: 'scenes'; seq: number; scenes: SceneView[] }
  /** An automation was added, edited, enabled, disabled or flagged; `automation` null: removed. */
  | { type: 'automation'; seq: number; id: string; automation: Automation | null }
  /** An automation run started, moved on or ended: its whole trace so far. */
  | { type: 'trace'; seq: number; trace: Trace }
  /** An automation's notification, for every open dashboard. */
  | { type: 'notification'; seq: number; notification: Notification };

/** Hub to client. */
export type ServerMessage =
  | JournalMessage
  /**
   * Every known device as of `seq`. Sent on a fresh connection, and with `reset: true` when a
   * client asked to resume from a point the journal no longer holds.
   */
  | { type: 'snapshot'; seq: number; reset: boolean; devices: Device[]; rooms: Room[] }
  /** Sent after the missed events when a resume succeeded: the client is now live. */
  | { type: 'resumed'; from: number; seq: number }
  /** The command with this ref was accepted and sent; its progress follows as `command` events. */
  | { type: 'ack'; ref: string; id: string; command: CommandRecord }
  /** A message from this client was refused. `ref` echoes the command's ref when there was one. */
  | { type: 'error'; ref?: string; code: string; message: string };

/** Client to hub. `ref` is any string the client picks to match the ack or error. */
export type ClientMessage = { type: 'command'; ref?: string; id: string; command: DeviceCommand };

/**
 * WebSocket close codes of the hub's own (4000-4999 are left to applications by RFC 6455
 * section 7.4.2). The dashboard signs in again after the first, and reconnects at once after
 * the second, to get what the new role allows.
 */
export const CLOSE_SIGNED_OUT = 4401;
export const CLOSE_ROLE_CHANGED = 4403;
