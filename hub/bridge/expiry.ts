import type { Entity } from '../discovery/entity.js';

interface Watched {
  deviceId: string;
  properties: string[];
  expireAfterMs: number;
  lastReport: number;
  expired: boolean;
}

/**
 * Readings that go stale (Home Assistant's `expire_after`): a sensor silent for longer than
 * it promised shows no value rather than an old one. Only entities that ask are watched.
 */
export class ReadingExpiry {
  private readonly watched = new Map<string, Watched>();

  /** The entity just reported. */
  touch(entity: Entity, now: number): void {
    if (!entity.expireAfterMs) return;
    const w = this.watched.get(entity.key);
    if (w) {
      w.lastReport = now;
      w.expired = false;
      return;
    }
    this.watched.set(entity.key, {
      deviceId: entity.deviceId,
      properties: entity.capabilities.map((c) => c.property),
      expireAfterMs: entity.expireAfterMs,
      lastReport: now,
      expired: false,
    });
  }

  forget(key: string): void {
    this.watched.delete(key);
  }

  /** Readings that have just gone stale, once each until the entity reports again. */
  due(now: number): { deviceId: string; properties: string[] }[] {
    const due = [];
    for (const w of this.watched.values()) {
      if (w.expired || now - w.lastReport < w.expireAfterMs) continue;
      w.expired = true;
      due.push({ deviceId: w.deviceId, properties: w.properties });
    }
    return due;
  }
}
