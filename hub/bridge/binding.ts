import type { Announcement, Entity } from '../discovery/entity.js';
import { coveredByAny } from '../mqtt/topic-rules.js';

/** The topic filters an MQTT user may publish and subscribe within; null for a user the hub does not know. */
export type TopicsOf = (username: string) => readonly string[] | null;

export interface Refusal {
  /** The entity refused (its key) and the device it named. */
  key: string;
  deviceId: string;
  reason: string;
  /** Kept on its device, unusable, with the reason as its problem (rather than left out). */
  disarmed: boolean;
}

/** Most refusals shown on one device: an attacker may not grow a victim's problem list without end. */
const MAX_NOTES_PER_DEVICE = 20;

/**
 * What an MQTT user announces binds to that user. A device belongs to the user whose
 * announcement made it; another user's announcement cannot join it (as a stolen
 * `device.identifiers` would) nor withdraw its entities. An announcement may only name state
 * and availability topics its user may publish to, and command topics (and the hub's
 * requests) its user may subscribe to: otherwise the hub would publish commands, past the
 * broker's rules, to a topic the announcer could not reach itself.
 *
 * Messages with no publisher are not bound: the hub's own, an anonymous client's in lab mode,
 * and everything through an external broker, whose own ACLs are the boundary there.
 */
export class AnnouncementBinding {
  private readonly publisherOf = new Map<string, string>();
  private readonly notes = new Map<string, Map<string, string>>();

  constructor(
    private readonly topicsOf: TopicsOf,
    /** Keys of the entities a device has now. */
    private readonly keysOf: (deviceId: string) => readonly string[],
  ) {}

  /**
   * The announcement as `publisher` may make it, and what was refused. A device that is
   * someone else's is left alone, with a note; an entity naming topics out of reach stays,
   * unusable, so its device shows why.
   */
  bind(announcement: Announcement, publisher: string | null): { announcement: Announcement; refused: Refusal[] } {
    if (publisher === null) return { announcement, refused: [] };
    const refused: Refusal[] = [];
    const put: Entity[] = [];
    for (const entity of announcement.put) {
      const owner = this.otherOwner(entity, publisher);
      if (owner !== undefined) {
        refused.push({ key: entity.key, deviceId: entity.deviceId, reason: `announced by MQTT user '${publisher}', but the device belongs to '${owner}'`, disarmed: false });
        continue;
      }
      const outside = this.topicOutside(entity, publisher);
      if (!outside) put.push(entity);
      else {
        const reason = `names ${outside}, which MQTT user '${publisher}' may not use`;
        refused.push({ key: entity.key, deviceId: entity.deviceId, reason, disarmed: true });
        put.push(disarmed(entity, `refused: ${reason}`));
      }
    }
    const remove = announcement.remove.filter((key) => (this.publisherOf.get(key) ?? publisher) === publisher);
    const send = announcement.send?.filter((m) => this.may(publisher, m.topic));
    return { announcement: { ...announcement, put, remove, ...(send ? { send } : {}) }, refused };
  }

  /** Records who announced what is about to be applied. */
  record(announcement: Announcement, publisher: string | null): void {
    for (const key of announcement.remove) this.publisherOf.delete(key);
    for (const entity of announcement.put) {
      this.dropNote(entity.deviceId, entity.key);
      if (publisher === null) this.publisherOf.delete(entity.key);
      else this.publisherOf.set(entity.key, publisher);
    }
  }

  /** Notes claims on another user's device there (a disarmed entity shows its own problem). */
  note(refused: readonly Refusal[]): void {
    for (const r of refused) {
      if (r.disarmed) continue;
      const notes = this.notes.get(r.deviceId) ?? new Map<string, string>();
      if (notes.size < MAX_NOTES_PER_DEVICE || notes.has(r.key)) notes.set(r.key, r.reason);
      this.notes.set(r.deviceId, notes);
    }
  }

  /** Refused announcements that named this device, as problem lines. */
  problemsOf(deviceId: string): string[] {
    return [...(this.notes.get(deviceId) ?? [])].map(([key, reason]) => `${key}: refused: ${reason}`);
  }

  publisherOfKey(key: string): string | null {
    return this.publisherOf.get(key) ?? null;
  }

  forgetDevice(deviceId: string, keys: readonly string[]): void {
    for (const key of keys) this.publisherOf.delete(key);
    this.notes.delete(deviceId);
  }

  private dropNote(deviceId: string, key: string): void {
    const notes = this.notes.get(deviceId);
    notes?.delete(key);
    if (notes?.size === 0) this.notes.delete(deviceId);
  }

  /**
   * Another user to whom the entity (by its key) or its device belongs, if any. Both count: an
   * entity of one's own may not be moved onto someone else's device by announcing it anew.
   */
  private otherOwner(entity: Entity, publisher: string): string | undefined {
    const byKey = this.publisherOf.get(entity.key);
    if (byKey !== undefined && byKey !== publisher) return byKey;
    for (const key of this.keysOf(entity.deviceId)) {
      const owner = this.publisherOf.get(key);
      if (owner !== undefined && owner !== publisher) return owner;
    }
    return undefined;
  }

  /** The first topic of the entity its publisher may not use as the entity would, described. */
  private topicOutside(entity: Entity, publisher: string): string | null {
    const published = [...entity.stateTopics, ...entity.availability.map((a) => a.topic)].find((t) => !this.may(publisher, t));
    if (published !== undefined) return `state or availability topic '${published}'`;
    const commanded = entity.commandTopics.find((t) => !this.may(publisher, t));
    return commanded === undefined ? null : `command topic '${commanded}'`;
  }

  /** Publishing and subscribing are granted by the same filters (see mqtt/access.ts). */
  private may(publisher: string, topic: string): boolean {
    const topics = this.topicsOf(publisher);
    return topics !== null && coveredByAny(topics, topic);
  }
}

/** The entity as announced, but unusable: no topics, no controls, and why. */
function disarmed(entity: Entity, problem: string): Entity {
  return { ...entity, capabilities: [], stateTopics: [], commandTopics: [], availability: [], decode: () => ({}), encode: () => [], problem };
}
