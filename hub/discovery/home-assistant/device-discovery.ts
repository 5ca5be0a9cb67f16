import { AnnouncedEntities, refused } from '../announced.js';
import type { Announcement, Entity } from '../entity.js';
import { checkDiscoveryConfig, parseDiscoveryJson } from './config.js';
import { expand } from './keys.js';
import { MAX_CONFIG_BYTES, entityOf } from './normalise.js';

/** `<prefix>/device/[<node_id>/]<object_id>/config`. */
const TOPIC = /^device\/(?:([\w-]+)\/)?([\w-]+)\/config$/;

/**
 * Options a device payload gives every component that does not set its own (Home Assistant's
 * `SHARED_OPTIONS` in `components/mqtt/discovery.py`).
 */
const SHARED = [
  'availability', 'availability_mode', 'availability_template', 'availability_topic',
  'command_topic', 'payload_available', 'payload_not_available', 'state_topic',
];

/**
 * Home Assistant's device-based discovery (since 2024.11, what ESPHome and others move to):
 * one retained message describes a device and, under `components` (`cmps`), each of its
 * entities with its `platform` (`p`). A component left out of a new payload, or reduced to
 * its platform, is withdrawn; an empty payload withdraws them all.
 */
export class DeviceDiscovery {
  private readonly announced = new AnnouncedEntities();

  constructor(private readonly prefix: string) {}

  accept(topic: string, text: string, leftToList: (entity: Entity) => boolean): Announcement | null {
    const m = TOPIC.exec(topic.slice(this.prefix.length + 1));
    if (!m) return null;
    if (text === '') return { ...this.announced.replace(topic, []), keep: false };
    if (text.length > MAX_CONFIG_BYTES) return refused(`discovery payload of ${text.length} bytes is over the ${MAX_CONFIG_BYTES} limit`);
    const raw = parseDiscoveryJson(text);
    if (raw instanceof Error) return refused(raw.message);
    const device = expand(raw);
    const components = device.components;
    if (components === null || typeof components !== 'object' || Array.isArray(components)) return refused('device discovery payload without a components (cmps) object');
    if (device.device === undefined) return refused('device discovery payload without a device (dev) object');
    const put: Entity[] = [];
    const errors: string[] = [];
    for (const [id, component] of Object.entries(components as Record<string, unknown>)) {
      const entity = this.component(topic, m[1] ?? null, m[2]!, id, component, device);
      if (entity instanceof Error) errors.push(`component '${id}': ${entity.message}`);
      else if (entity && !leftToList(entity.entity)) {
        put.push(entity.entity);
        if (entity.problem) errors.push(`component '${id}': ${entity.problem}`);
      }
    }
    return { ...this.announced.replace(topic, put), errors, keep: true };
  }

  /** One component with the device's block and shared options; null when it is only a platform (a withdrawal). */
  private component(topic: string, nodeId: string | null, objectId: string, id: string, raw: unknown, device: Record<string, unknown>) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return new Error('is not an object');
    if (!/^[\w-]+$/.test(id)) return new Error('id may hold letters, digits, _ and - only');
    const { platform, ...own } = expand(raw as Record<string, unknown>);
    if (typeof platform !== 'string' || platform === '') return new Error('has no platform (p)');
    if (Object.keys(own).length === 0) return null;
    const merged: Record<string, unknown> = { ...own, device: device.device };
    for (const key of SHARED) if (device[key] !== undefined && merged[key] === undefined) merged[key] = device[key];
    const config = checkDiscoveryConfig(merged);
    if (config instanceof Error) return config;
    // As Home Assistant does: the device's object id is the components' node id.
    return entityOf(`${topic}#${id}`, { component: platform, nodeId: objectId, objectId: nodeId ? `${nodeId}_${id}` : id }, config);
  }
}
