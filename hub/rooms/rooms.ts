import { randomUUID } from 'node:crypto';
import type { Room } from '../protocol/device.js';
import type { Db } from '../store/database.js';

/**
 * What makes two room names the same room: case and spaces do not count, so "Living room",
 * "living  room" and "LivingRoom" are one room (Home Assistant's area registry likewise
 * refuses an area whose normalised name is taken).
 */
export const roomKey = (name: string): string => name.toLowerCase().replace(/\s+/g, '');

/** A room's name as kept: trimmed, inner runs of spaces made one. */
export const tidyRoomName = (name: string): string => name.trim().replace(/\s+/g, ' ');

/** The home's rooms (areas), in the user's order. Every change hands the whole list to `changed`. */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly changed: (rooms: Room[]) => void,
  ) {
    this.statements = {
      all: db.prepare<[], Room>('SELECT id, name, position FROM rooms ORDER BY position, name'),
      put: db.prepare('INSERT INTO rooms (id, name, position) VALUES (@id, @name, @position) ON CONFLICT (id) DO UPDATE SET name = @name, position = @position'),
      remove: db.prepare('DELETE FROM rooms WHERE id = ?'),
    };
    for (const room of this.statements.all.all()) this.rooms.set(room.id, room);
  }

  list(): Room[] {
    return [...this.rooms.values()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  }

  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  /** The room whose name is the same as `name` (ignoring case and spaces), if any. */
  named(name: string): Room | undefined {
    const key = roomKey(name);
    return [...this.rooms.values()].find((room) => roomKey(room.name) === key);
  }

  /** The room of that name: the existing one when there is one, else a new one at the end. */
  findOrCreate(name: string, position?: number): { room: Room; created: boolean } {
    const existing = this.named(name);
    if (existing) return { room: existing, created: false };
    const last = Math.max(-1, ...[...this.rooms.values()].map((r) => r.position));
    return { room: this.put({ id: randomUUID(), name: tidyRoomName(name), position: position ?? last + 1 }), created: true };
  }

  /** Renames or moves a room; a name another room already has is refused with that room. */
  update(id: string, patch: Partial<Omit<Room, 'id'>>): { room: Room } | { taken: Room } | undefined {
    const room = this.rooms.get(id);
    if (!room) return undefined;
    const other = patch.name === undefined ? undefined : this.named(patch.name);
    if (other && other.id !== id) return { taken: other };
    return { room: this.put({ ...room, ...patch, ...(patch.name === undefined ? {} : { name: tidyRoomName(patch.name) }) }) };
  }

  /** Puts the rooms in this order; `ids` must name every room once. */
  reorder(ids: readonly string[]): Room[] | string {
    const unknown = ids.find((id) => !this.rooms.has(id));
    if (unknown !== undefined) return `room '${unknown}' not found`;
    if (new Set(ids).size !== ids.length || ids.length !== this.rooms.size) return 'the order must name every room exactly once';
    this.db.transaction(() => ids.forEach((id, position) => this.statements.put.run({ ...this.rooms.get(id)!, position })))();
    ids.forEach((id, position) => this.rooms.set(id, { ...this.rooms.get(id)!, position }));
    const rooms = this.list();
    this.changed(rooms);
    return rooms;
  }

  remove(id: string): boolean {
    if (!this.rooms.has(id)) return false;
    // Disk first: a write the disk refuses (it throws) leaves the rooms as they were.
    this.statements.remove.run(id);
    this.rooms.delete(id);
    this.changed(this.list());
    return true;
  }

  private put(room: Room): Room {
    this.statements.put.run(room);
    this.rooms.set(room.id, room);
    this.changed(this.list());
    return room;
  }
}
