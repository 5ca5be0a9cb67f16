import type { DeviceRegistry } from '../registry/registry.js';
import type { Rooms } from './rooms.js';

/**
 * Gives the demo home its rooms from the start, as a device announcing a suggested area
 * gets one in Home Assistant: only a device the hub has never seen is placed, so what the
 * user changed later (a room renamed, removed, a device moved out) stays as they left it.
 * Rooms are made in the order given, before any device connects.
 */
export function placeNewDevices(registry: DeviceRegistry, rooms: Rooms, specs: readonly { id: string; room?: string }[]): () => void {
  const unseen = new Map(specs.filter((s) => s.room !== undefined && !registry.get(s.id)).map((s) => [s.id, s.room!]));
  const roomIds = new Map([...new Set(unseen.values())].map((name) => [name, rooms.findOrCreate(name).room.id]));
  return registry.subscribe((change) => {
    if (change.type !== 'described' || change.from !== null || !unseen.has(change.to.id)) return;
    const room = roomIds.get(unseen.get(change.to.id)!)!;
    unseen.delete(change.to.id);
    // The user may have removed the room since the hub started.
    if (rooms.get(room) && change.to.room === null) registry.customise(change.to.id, { room });
  });
}
