import { randomUUID } from 'node:crypto';
import type { Room } from '../protocol/device.js';
import type { Db } from '../store/database.js';

/** The home's rooms (areas), in the user's order. Every change hands the whole list to `changed`. */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly statements;

  constructor(
    db: Db,
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

  create(name: string, position?: number): Room {
    const room = { id: randomUUID(), name, position: position ?? this.rooms.size };
    return this.put(room);
  }

  update(id: string, patch: Partial<Omit<Room, 'id'>>): Room | undefined {
    const room = this.rooms.get(id);
    return room && this.put({ ...room, ...patch });
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
