import type { ServerMessage } from '../protocol/messages.js';
import type { DeviceChange } from '../registry/registry.js';

/** The WebSocket message announcing a registry change. */
export function messageFor(change: DeviceChange): ServerMessage {
  switch (change.type) {
    case 'described':
      return { type: 'device', device: change.to };
    case 'state':
      return { type: 'state', id: change.to.id, state: change.to.state, changed: change.changed, lastSeen: change.to.lastSeen ?? Date.now() };
    case 'availability':
      return { type: 'availability', id: change.to.id, online: change.to.online };
    case 'removed':
      return { type: 'removed', id: change.from.id };
  }
}
