import type { Announcement, Entity } from './entity.js';

/**
 * For conventions that rebuild all of a device's entities from several messages: which
 * entities each device has announced, so a rebuild also withdraws the ones that are gone.
 */
export class AnnouncedEntities {
  private readonly keys = new Map<string, string[]>();

  /** The announcement of a device's entities as they are now. */
  replace(owner: string, put: Entity[]): Omit<Announcement, 'keep'> {
    const now = new Set(put.map((e) => e.key));
    const remove = (this.keys.get(owner) ?? []).filter((k) => !now.has(k));
    this.keys.set(owner, [...now]);
    return { put, remove, errors: [] };
  }
}

/** A message refused with its reason: logged and counted, nothing changes. */
export function refused(error: string): Announcement {
  return { put: [], remove: [], errors: [error], keep: false };
}
