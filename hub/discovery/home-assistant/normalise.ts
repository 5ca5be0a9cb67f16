import type { DeviceKind } from '../../protocol/device.js';
import type { Announcement, AvailabilitySource, DiscoveryConvention, Entity, Normalised } from '../entity.js';
import { compileTemplate } from '../template/index.js';
import { parseDiscoveryConfig, parseDiscoveryTopic, type DiscoveryConfig, type DiscoveryTopic } from './config.js';
import { DISCOVERY_PREFIX } from '../../protocol/topics.js';
import { components } from './components.js';
import { DeviceDiscovery } from './device-discovery.js';

export type EntityParts = Pick<Entity, 'capabilities' | 'stateTopics' | 'commandTopics' | 'decode' | 'encode' | 'optimistic' | 'expireAfterMs'>;

/** Home Assistant components by the kind of device they make. */
const kinds: Record<string, DeviceKind> = { light: 'light', switch: 'switch' };

export interface ComponentInput {
  config: DiscoveryConfig;
  topic: DiscoveryTopic;
  /** Sensor label when the entity has no name of its own. */
  fallbackLabel: string;
}

export type ComponentHandler = (input: ComponentInput) => EntityParts | Error;

/** Translates one Home Assistant discovery message into an entity of the hub's model. */
export function normaliseHomeAssistant(topic: string, text: string, prefix = DISCOVERY_PREFIX): Normalised {
  const where = parseDiscoveryTopic(topic, prefix);
  if (!where) return { ok: false, error: `not a discovery topic: ${topic}` };
  if (text.length > MAX_CONFIG_BYTES) return { ok: false, error: `discovery payload of ${text.length} bytes is over the ${MAX_CONFIG_BYTES} limit` };
  const config = parseDiscoveryConfig(text);
  if (config instanceof Error) return { ok: false, error: config.message };
  return { ok: true, ...entityOf(topic, where, config) };
}

/** The entity one component's config describes, with the reason when the hub cannot use it. */
export function entityOf(key: string, where: DiscoveryTopic, config: DiscoveryConfig): { entity: Entity; problem?: string } {
  const deviceId = deviceIdOf(config, where);
  // Own keys only: a topic level named `__proto__` or `constructor` must not find a handler.
  const handler = Object.hasOwn(components, where.component) ? components[where.component] : undefined;
  const parts = handler
    ? handler({ config, topic: where, fallbackLabel: humanise(where.objectId) })
    : new Error(`component '${where.component}' is not supported yet`);
  const availability = availabilityOf(config);
  const problem = parts instanceof Error ? parts.message : availability instanceof Error ? availability.message : undefined;
  const ownName = typeof config.name === 'string' && config.name !== '' ? config.name : undefined;
  const entity: Entity = {
    key,
    protocol: 'homeassistant',
    deviceId,
    name: ownName ?? humanise(where.objectId),
    device: {
      name: config.device?.name ?? ownName ?? deviceId,
      manufacturer: config.device?.manufacturer ?? null,
      model: config.device?.model ?? null,
    },
    kind: kinds[where.component] ?? 'sensor',
    availability: availability instanceof Error ? [] : availability,
    availabilityMode: config.availability_mode ?? 'latest',
    ...(problem === undefined && !(parts instanceof Error) ? parts : unusable),
    ...(problem === undefined ? {} : { problem }),
  };
  // Still an entity: the device shows what it announced and why the hub cannot use it.
  return problem === undefined ? { entity } : { entity, problem };
}

/** The parts of an entity the hub cannot use. */
const unusable: EntityParts = { capabilities: [], stateTopics: [], commandTopics: [], decode: () => ({}), encode: () => [] };

/** Discovery configs are small; a huge one is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/**
 * Entities of one physical device share its first identifier, so they become one device.
 * Without a device block, each entity stands alone under its unique id.
 */
function deviceIdOf(config: DiscoveryConfig, where: DiscoveryTopic): string {
  const ids = config.device?.identifiers;
  const first =
    (Array.isArray(ids) ? ids[0] : ids) ??
    config.device?.connections?.[0]?.[1] ??
    config.unique_id ??
    `${where.nodeId ?? where.component}_${where.objectId}`;
  return slug(first.replace(/^hearth_/, ''));
}

function availabilityOf(config: DiscoveryConfig): AvailabilitySource[] | Error {
  const online = config.payload_available ?? 'online';
  const offline = config.payload_not_available ?? 'offline';
  const entries = config.availability?.length
    ? config.availability
    : config.availability_topic
      ? [{ topic: config.availability_topic, value_template: config.availability_template }]
      : [];
  const sources: AvailabilitySource[] = [];
  for (const entry of entries) {
    // Zigbee2MQTT sends `online` or `{"state":"online"}` depending on its settings.
    const template = compileTemplate(entry.value_template);
    if (template instanceof Error) return template;
    const on = entry.payload_available ?? online;
    const off = entry.payload_not_available ?? offline;
    sources.push({
      topic: entry.topic,
      decode: (payload) => {
        const value = String(template(payload.text, () => payload.json()));
        return value === on ? true : value === off ? false : undefined;
      },
    });
  }
  return sources;
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'device'
  );
}

function humanise(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface HomeAssistantOptions {
  /** Zigbee2MQTT devices whose own list the hub reads: their Home Assistant configs are left to it. */
  zigbee2mqtt?: { leftToList(entity: Entity): boolean };
}

/** Home Assistant MQTT discovery as a convention: one retained config message per entity. */
export const homeAssistant = (prefix = DISCOVERY_PREFIX, options: HomeAssistantOptions = {}): DiscoveryConvention => {
  const devices = new DeviceDiscovery(prefix);
  const leftToList = (entity: Entity) => options.zigbee2mqtt?.leftToList(entity) ?? false;
  return {
    name: 'homeassistant',
    accept: (topic, text) => (topic.startsWith(`${prefix}/device/`) ? devices.accept(topic, text, leftToList) : acceptComponent(topic, text)),
  };

  function acceptComponent(topic: string, text: string): Announcement | null {
    if (!topic.startsWith(`${prefix}/`) || !topic.endsWith('/config')) return null;
    // An empty retained config is how a device withdraws an entity.
    if (text === '') return { put: [], remove: [topic], errors: [], keep: false };
    const result = normaliseHomeAssistant(topic, text, prefix);
    if (result.ok && leftToList(result.entity)) return { put: [], remove: [topic], errors: [], keep: false };
    return result.ok
      ? { put: [result.entity], remove: [], errors: result.problem ? [result.problem] : [], keep: true }
      : { put: [], remove: [], errors: [result.error], keep: false };
  }
};
