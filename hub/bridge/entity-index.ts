import type { Entity } from '../discovery/entity.js';
import { entityViews } from './entity-views.js';

/**
 * Entities by announcement, by device and by the topics they read, so an incoming
 * message finds its readers with one map lookup instead of a scan. What it hands out are
 * the entities as their device shows them (entity-views.ts): rebuilt for the whole device
 * whenever one of its entities is announced or withdrawn.
 */
export class EntityIndex {
  private readonly announced = new Map<string, Map<string, Entity>>();
  private readonly byKey = new Map<string, Entity>();
  private readonly byDevice = new Map<string, Map<string, Entity>>();
  private readonly byStateTopic = new Map<string, Entity[]>();
  private readonly byAvailabilityTopic = new Map<string, Entity[]>();

  /** Adds or replaces the entity announced at `entity.key`; returns the one it replaced. */
  put(entity: Entity): Entity | undefined {
    const previous = this.remove(entity.key);
    let ofDevice = this.announced.get(entity.deviceId);
    if (!ofDevice) this.announced.set(entity.deviceId, (ofDevice = new Map()));
    ofDevice.set(entity.key, entity);
    this.refresh(entity.deviceId);
    return previous;
  }

  remove(key: string): Entity | undefined {
    const entity = this.byKey.get(key);
    if (!entity) return undefined;
    const ofDevice = this.announced.get(entity.deviceId);
    ofDevice?.delete(key);
    if (ofDevice?.size === 0) this.announced.delete(entity.deviceId);
    this.refresh(entity.deviceId);
    return entity;
  }

  private refresh(deviceId: string): void {
    for (const old of this.byDevice.get(deviceId)?.values() ?? []) this.unlink(old);
    this.byDevice.delete(deviceId);
    const views = entityViews([...(this.announced.get(deviceId)?.values() ?? [])]);
    if (views.length > 0) this.byDevice.set(deviceId, new Map(views.map((v) => [v.key, v])));
    for (const view of views) {
      this.byKey.set(view.key, view);
      for (const topic of new Set(view.stateTopics)) add(this.byStateTopic, topic, view);
      for (const topic of new Set(view.availability.map((a) => a.topic))) add(this.byAvailabilityTopic, topic, view);
    }
  }

  private unlink(entity: Entity): void {
    this.byKey.delete(entity.key);
    for (const topic of entity.stateTopics) drop(this.byStateTopic, topic, entity);
    for (const a of entity.availability) drop(this.byAvailabilityTopic, a.topic, entity);
  }

  entitiesOf(deviceId: string): Entity[] {
    return [...(this.byDevice.get(deviceId)?.values() ?? [])];
  }

  /** Entities reading this state topic, grouped by device. */
  readersOf(topic: string): readonly Entity[] | undefined {
    return this.byStateTopic.get(topic);
  }

  availabilityOf(topic: string): readonly Entity[] | undefined {
    return this.byAvailabilityTopic.get(topic);
  }
}

function add(map: Map<string, Entity[]>, topic: string, entity: Entity): void {
  const list = map.get(topic) ?? [];
  // Keep entities of one device next to each other so readers can merge per device.
  const at = list.findLastIndex((e) => e.deviceId === entity.deviceId);
  list.splice(at === -1 ? list.length : at + 1, 0, entity);
  map.set(topic, list);
}

function drop(map: Map<string, Entity[]>, topic: string, entity: Entity): void {
  const list = map.get(topic)?.filter((e) => e !== entity);
  if (list && list.length > 0) map.set(topic, list);
  else map.delete(topic);
}
