import type { NewEvent } from './journal.js';
import type { DeviceChange } from '../registry/registry.js';

/** The journal event announcing a registry change. */
export function eventFor(change: DeviceChange): NewEvent {
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
