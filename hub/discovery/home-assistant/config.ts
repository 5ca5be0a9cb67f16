import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

import { expand } from './keys.js';

/**
 * Home Assistant MQTT discovery: `<prefix>/<component>/[<node_id>/]<object_id>/config`, and
 * the device form `<prefix>/device/[<node_id>/]<object_id>/config` whose `components` map
 * holds one config per entity (keys.ts expands abbreviations first).
 */
const topicValue = Type.String({ minLength: 1 });
const COLOR_CHANNELS = ['rgb', 'rgbw', 'rgbww', 'hs', 'xy', 'color_temp', 'effect'] as const;
const DEFAULT_SCHEMA_TOPICS = [
  ...COLOR_CHANNELS.flatMap((c) => [`${c}_command_topic`, `${c}_state_topic`] as const),
  'color_mode_state_topic',
] as const;
const TEMPLATE_KEYS = [
  ...COLOR_CHANNELS.flatMap((c) => [`${c}_command_template`, `${c}_value_template`] as const),
  'brightness_command_template', 'color_mode_value_template',
  // The template schema's templates.
  'command_on_template', 'command_off_template', 'state_template', 'brightness_template',
  'red_template', 'green_template', 'blue_template', 'color_temp_template', 'effect_template',
] as const;
const payloadValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const availabilityEntry = Type.Object({
  topic: topicValue,
  payload_available: Type.Optional(Type.String()),
  payload_not_available: Type.Optional(Type.String()),
  value_template: Type.Optional(Type.String()),
});

const configSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  unique_id: Type.Optional(Type.String()),
  state_topic: Type.Optional(topicValue),
  command_topic: Type.Optional(topicValue),
  availability_topic: Type.Optional(topicValue),
  availability: Type.Optional(Type.Array(availabilityEntry)),
  availability_mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any'), Type.Literal('latest')])),
  availability_template: Type.Optional(Type.String()),
  payload_available: Type.Optional(Type.String()),
  payload_not_available: Type.Optional(Type.String()),
  value_template: Type.Optional(Type.String()),
  state_value_template: Type.Optional(Type.String()),
  command_template: Type.Optional(Type.String()),
  optimistic: Type.Optional(Type.Boolean()),
  payload_on: Type.Optional(payloadValue),
  payload_off: Type.Optional(payloadValue),
  state_on: Type.Optional(payloadValue),
  state_off: Type.Optional(payloadValue),
  device_class: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  unit_of_measurement: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  state_class: Type.Optional(Type.String()),
  schema: Type.Optional(Type.String()),
  brightness: Type.Optional(Type.Boolean()),
  brightness_scale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  brightness_state_topic: Type.Optional(topicValue),
  brightness_command_topic: Type.Optional(topicValue),
  brightness_value_template: Type.Optional(Type.String()),
  supported_color_modes: Type.Optional(Type.Array(Type.String())),
  color_temp_kelvin: Type.Optional(Type.Boolean()),
  effect: Type.Optional(Type.Boolean()),
  expire_after: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  entity_category: Type.Optional(Type.Union([Type.Literal('config'), Type.Literal('diagnostic'), Type.Null()])),
  effect_list: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 })),
  min_mireds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  max_mireds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  min_kelvin: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  max_kelvin: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  qos: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])),
  retain: Type.Optional(Type.Boolean()),
  /** Default schema: when the ON payload goes out relative to brightness and colour (Home Assistant's `on_command_type`). */
  on_command_type: Type.Optional(Type.Union([Type.Literal('last'), Type.Literal('first'), Type.Literal('brightness')])),
  ...optionalStrings(DEFAULT_SCHEMA_TOPICS, topicValue),
  ...optionalStrings(TEMPLATE_KEYS, Type.String()),
  device: Type.Optional(
    Type.Object({
      identifiers: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
      connections: Type.Optional(Type.Array(Type.Array(Type.String()))),
      name: Type.Optional(Type.String()),
      manufacturer: Type.Optional(Type.String()),
      model: Type.Optional(Type.String()),
      sw_version: Type.Optional(Type.String()),
    }),
  ),
});

/** The default schema's topics beyond on/off and brightness, as Home Assistant names them. */
function optionalStrings<K extends string, T extends TSchema>(keys: readonly K[], schema: T) {
  return Object.fromEntries(keys.map((k) => [k, Type.Optional(schema)])) as { [P in K]: ReturnType<typeof Type.Optional<T>> };
}

export type DiscoveryConfig = Static<typeof configSchema>;
const validateConfig = Compile(configSchema);

export interface DiscoveryTopic {
  component: string;
  nodeId: string | null;
  objectId: string;
}

const TOPIC = /^([\w-]+)\/(?:([\w-]+)\/)?([\w-]+)\/config$/;

/** Reads `<prefix>/<component>/[<node_id>/]<object_id>/config`. */
export function parseDiscoveryTopic(topic: string, prefix: string): DiscoveryTopic | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const m = TOPIC.exec(topic.slice(prefix.length + 1));
  return m ? { component: m[1]!, nodeId: m[2] ?? null, objectId: m[3]! } : null;
}

/** A discovery payload as a JSON object, or why it is not one. */
export function parseDiscoveryJson(text: string): Record<string, unknown> | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return new Error('discovery payload is not JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return new Error('discovery payload is not an object');
  return raw as Record<string, unknown>;
}

export function parseDiscoveryConfig(text: string): DiscoveryConfig | Error {
  const raw = parseDiscoveryJson(text);
  return raw instanceof Error ? raw : checkDiscoveryConfig(expand(raw));
}

/** Validates a config whose keys are already expanded. */
export function checkDiscoveryConfig(config: Record<string, unknown>): DiscoveryConfig | Error {
  if (!validateConfig.Check(config)) {
    const [first] = validateConfig.Errors(config);
    return new Error(`invalid discovery config: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  return config;
}
