import type { Device } from '../../hub/protocol/device.js';
import type { ServerMessage } from '../../hub/protocol/messages.js';
import type { StoreState } from './store.js';

/**
 * Devices that announced themselves for the first time while the page was open, in the order
 * found: each gets a "New device found" prompt. One leaves the list when it is dismissed, or
 * once it has been named or placed in a room (on any dashboard), or removed.
 */
export class FoundDevices {
  static readonly none = new FoundDevices(new Map());

  /** By id: the device as it was found, to tell when someone has dealt with it. */
  private constructor(private readonly found: ReadonlyMap<string, Device>) {}

  get size(): number {
    return this.found.size;
  }

  /** The list after the store went from `before` to `after` on `message`; the same object when unchanged. */
  after(before: StoreState, after: StoreState, message: ServerMessage): FoundDevices {
    let next = new Map(this.found);
    // Only news: a device the first snapshot already had is not "found"; one missed while reconnecting is.
    if (message.type === 'device' && before.loaded && !before.devices.has(message.device.id) && after.devices.has(message.device.id)) {
      next.set(message.device.id, message.device);
    }
    for (const [id, seen] of next) {
      const now = after.devices.get(id);
      if (!now || now.room !== seen.room || now.name !== seen.name) next.delete(id);
    }
    if (next.size === this.found.size && [...next.keys()].every((id) => this.found.has(id))) next = this.found as Map<string, Device>;
    return next === this.found ? this : new FoundDevices(next);
  }

  without(id: string): FoundDevices {
    if (!this.found.has(id)) return this;
    const next = new Map(this.found);
    next.delete(id);
    return new FoundDevices(next);
  }

  /** The first found device, as it is now. */
  first(state: StoreState): Device | undefined {
    const [id] = this.found.keys();
    return id === undefined ? undefined : state.devices.get(id);
  }
}
