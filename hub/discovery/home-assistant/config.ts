import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Home Assistant MQTT discovery: `<prefix>/<component>/[<node_id>/]<object_id>/config`.
 * Firmware such as Tasmota and ESPHome sends abbreviated keys to save RAM; they are
 * expanded here so the rest of the hub only sees the long names.
 */
const abbreviations: Record<string, string> = {
  avty: 'availability', avty_t: 'availability_topic', avty_mode: 'availability_mode', avty_tpl: 'availability_template',
  bri: 'brightness', bri_cmd_t: 'brightness_command_topic', bri_scl: 'brightness_scale',
  bri_stat_t: 'brightness_state_topic', bri_val_tpl: 'brightness_value_template',
  clr_temp: 'color_temp', cmd_t: 'command_topic', cmd_tpl: 'command_template', opt: 'optimistic',
  dev: 'device', dev_cla: 'device_class', fx: 'effect', fx_list: 'effect_list', fx_cmd_t: 'effect_command_topic', max_mirs: 'max_mireds', min_mirs: 'min_mireds',
  max_kvn: 'max_kelvin', min_kvn: 'min_kelvin', clr_temp_kelvin: 'color_temp_kelvin',
  obj_id: 'object_id', exp_aft: 'expire_after', ent_cat: 'entity_category', pl_avail: 'payload_available', pl_not_avail: 'payload_not_available',
  pl_off: 'payload_off', pl_on: 'payload_on', qos: 'qos', stat_cla: 'state_class',
  stat_off: 'state_off', stat_on: 'state_on', stat_t: 'state_topic', stat_val_tpl: 'state_value_template',
  sup_clrm: 'supported_color_modes', t: 'topic', uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement', val_tpl: 'value_template',
};
const deviceAbbreviations: Record<string, string> = {
  cns: 'connections', ids: 'identifiers', mf: 'manufacturer', mdl: 'model', name: 'name', sw: 'sw_version',
};

const topicValue = Type.String({ minLength: 1 });
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

export function parseDiscoveryConfig(text: string): DiscoveryConfig | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return new Error('discovery payload is not JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return new Error('discovery payload is not an object');
  const config = expand(raw as Record<string, unknown>);
  if (!validateConfig.Check(config)) {
    const [first] = validateConfig.Errors(config);
    return new Error(`invalid discovery config: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  return config;
}

function expand(raw: Record<string, unknown>): Record<string, unknown> {
  const base = typeof raw['~'] === 'string' ? raw['~'] : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // `__proto__` would set the object's prototype rather than a key; no real config uses it.
    if (key === '~' || key === '__proto__') continue;
    const name = own(abbreviations, key) ?? key;
    if (name === 'device' && value && typeof value === 'object') {
      out.device = renameKeys(value as Record<string, unknown>, deviceAbbreviations);
    } else if (name === 'availability' && Array.isArray(value)) {
      out.availability = value.map((v) => (v && typeof v === 'object' ? expandTopics(renameKeys(v, abbreviations), base) : v));
    } else {
      out[name] = name.endsWith('_topic') ? withBase(value, base) : value;
    }
  }
  return out;
}

function renameKeys(obj: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [own(names, k) ?? k, v]));
}

/** A table's own entry: `constructor` and friends are not abbreviations. */
function own(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function expandTopics(obj: Record<string, unknown>, base: string | undefined) {
  return { ...obj, topic: withBase(obj.topic, base) };
}

/** `~` stands for the base topic only at the start or the end of a topic value. */
function withBase(value: unknown, base: string | undefined): unknown {
  if (base === undefined || typeof value !== 'string') return value;
  if (value.startsWith('~')) return base + value.slice(1);
  if (value.endsWith('~')) return value.slice(0, -1) + base;
  return value;
}
