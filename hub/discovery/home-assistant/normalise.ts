import type { DeviceKind } from '../../protocol/device.js';
import type { Announcement, AvailabilitySource, DiscoveryConvention, Entity, Normalised } from '../entity.js';
import { compileTemplate } from '../template/index.js';
import { parseDiscoveryConfig, parseDiscoveryTopic, type DiscoveryConfig, type DiscoveryTopic } from './config.js';
import { DISCOVERY_PREFIX } from '../../protocol/topics.js';
import { components } from './components.js';

export type EntityParts = Pick<Entity, 'capabilities' | 'stateTopics' | 'commandTopics' | 'decode' | 'encode'>;

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
export function normaliseHomeAssistant(topic: string, text: string): Normalised {
  const where = parseDiscoveryTopic(topic);
  if (!where) return { ok: false, error: `not a discovery topic: ${topic}` };
  const handler = components[where.component];
  if (!handler) return { ok: false, error: `component '${where.component}' is not supported yet` };
  const config = parseDiscoveryConfig(text);
  if (config instanceof Error) return { ok: false, error: config.message };
  const deviceId = deviceIdOf(config, where);
  const deviceName = config.device?.name ?? (typeof config.name === 'string' ? config.name : deviceId);
  const parts = handler({ config, topic: where, fallbackLabel: humanise(where.objectId) });
  if (parts instanceof Error) return { ok: false, error: parts.message };
  const availability = availabilityOf(config);
  if (availability instanceof Error) return { ok: false, error: availability.message };
  return {
    ok: true,
    entity: {
      key: topic,
      deviceId,
      device: {
        name: deviceName,
        manufacturer: config.device?.manufacturer ?? null,
        model: config.device?.model ?? null,
      },
      protocol: 'homeassistant',
      kind: kinds[where.component] ?? 'sensor',
      availability,
      availabilityMode: config.availability_mode ?? 'latest',
      ...parts,
    },
  };
}

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

/** Home Assistant MQTT discovery as a convention: one retained config message per entity. */
export const homeAssistant: DiscoveryConvention = {
  name: 'homeassistant',
  accept(topic, text): Announcement | null {
    if (!topic.startsWith(`${DISCOVERY_PREFIX}/`) || !topic.endsWith('/config')) return null;
    // An empty retained config is how a device withdraws an entity.
    if (text === '') return { put: [], remove: [topic], errors: [], keep: false };
    const result = normaliseHomeAssistant(topic, text);
    return result.ok
      ? { put: [result.entity], remove: [], errors: [], keep: true }
      : { put: [], remove: [], errors: [result.error], keep: false };
  },
};
