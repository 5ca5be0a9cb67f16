/** What the page says about the connection and about commands that went wrong. */
import type { CommandFailure } from '../../hub/protocol/messages.js';
import type { ConnectionStatus } from './connection.js';

export const STATUS_TEXT: Readonly<Record<ConnectionStatus, string>> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  unreachable: 'Hub unreachable',
};

/** Friendlier words for the hub's error codes; others show the hub's own message. */
export const ERROR_TEXT: Readonly<Record<string, (name: string) => string>> = {
  DEVICE_OFFLINE: (name) => `${name} is offline, so it can't be changed right now.`,
  DEVICE_NOT_FOUND: (name) => `${name} is no longer known to the hub.`,
  FORBIDDEN: (name) => `Your account may look at ${name} but not switch it. An owner or admin can change your role.`,
};

/** Why a command this dashboard sent failed after the hub accepted it. */
export const FAILURE_TEXT: Readonly<Record<CommandFailure, (name: string) => string>> = {
  offline: (name) => `${name} went offline before confirming the change.`,
  timeout: (name) => `${name} did not confirm the change.`,
  'publish-failed': (name) => `Hearth could not reach ${name}.`,
};
