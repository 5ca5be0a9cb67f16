/**
 * Key handling of Home Assistant discovery payloads before validation: firmware such as
 * Tasmota and ESPHome sends abbreviated keys to save RAM, `~` stands for a base topic, and
 * Home Assistant's voluptuous schemas coerce some values (`"qos": "2"`, a lone availability
 * object, `"optimistic": "true"`). The rest of the hub only sees long names and right types.
 * Names are those of homeassistant/components/mqtt/abbreviations.py.
 */
const abbreviations: Record<string, string> = {
  avty: 'availability', avty_t: 'availability_topic', avty_mode: 'availability_mode', avty_tpl: 'availability_template',
  bri: 'brightness', bri_cmd_t: 'brightness_command_topic', bri_cmd_tpl: 'brightness_command_template', bri_scl: 'brightness_scale',
  bri_stat_t: 'brightness_state_topic', bri_val_tpl: 'brightness_value_template', bri_tpl: 'brightness_template',
  clr_temp: 'color_temp', clr_temp_kelvin: 'color_temp_kelvin',
  clr_temp_cmd_t: 'color_temp_command_topic', clr_temp_cmd_tpl: 'color_temp_command_template',
  clr_temp_stat_t: 'color_temp_state_topic', clr_temp_val_tpl: 'color_temp_value_template', clr_temp_tpl: 'color_temp_template',
  clrm_stat_t: 'color_mode_state_topic', clrm_val_tpl: 'color_mode_value_template',
  cmd_t: 'command_topic', cmd_tpl: 'command_template', cmd_on_tpl: 'command_on_template', cmd_off_tpl: 'command_off_template',
  cmps: 'components', dev: 'device', dev_cla: 'device_class', e: 'encoding', ent_cat: 'entity_category', exp_aft: 'expire_after',
  fx: 'effect', fx_list: 'effect_list', fx_cmd_t: 'effect_command_topic', fx_cmd_tpl: 'effect_command_template',
  fx_stat_t: 'effect_state_topic', fx_val_tpl: 'effect_value_template', fx_tpl: 'effect_template',
  hs_cmd_t: 'hs_command_topic', hs_cmd_tpl: 'hs_command_template', hs_stat_t: 'hs_state_topic', hs_val_tpl: 'hs_value_template',
  max_mirs: 'max_mireds', min_mirs: 'min_mireds', max_kvn: 'max_kelvin', min_kvn: 'min_kelvin',
  o: 'origin', obj_id: 'object_id', on_cmd_type: 'on_command_type', opt: 'optimistic', p: 'platform',
  pl_avail: 'payload_available', pl_not_avail: 'payload_not_available', pl_off: 'payload_off', pl_on: 'payload_on',
  r_tpl: 'red_template', g_tpl: 'green_template', b_tpl: 'blue_template', ret: 'retain',
  rgb_cmd_t: 'rgb_command_topic', rgb_cmd_tpl: 'rgb_command_template', rgb_stat_t: 'rgb_state_topic', rgb_val_tpl: 'rgb_value_template',
  rgbw_cmd_t: 'rgbw_command_topic', rgbw_cmd_tpl: 'rgbw_command_template', rgbw_stat_t: 'rgbw_state_topic', rgbw_val_tpl: 'rgbw_value_template',
  rgbww_cmd_t: 'rgbww_command_topic', rgbww_cmd_tpl: 'rgbww_command_template', rgbww_stat_t: 'rgbww_state_topic', rgbww_val_tpl: 'rgbww_value_template',
  stat_cla: 'state_class', stat_off: 'state_off', stat_on: 'state_on', stat_t: 'state_topic', stat_tpl: 'state_template',
  stat_val_tpl: 'state_value_template', sup_clrm: 'supported_color_modes', t: 'topic', uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement', val_tpl: 'value_template',
  xy_cmd_t: 'xy_command_topic', xy_cmd_tpl: 'xy_command_template', xy_stat_t: 'xy_state_topic', xy_val_tpl: 'xy_value_template',
};
const deviceAbbreviations: Record<string, string> = {
  cns: 'connections', ids: 'identifiers', mf: 'manufacturer', mdl: 'model', name: 'name', sw: 'sw_version',
};

/** Integers Home Assistant takes as `vol.Coerce(int)` / `cv.positive_int`: a numeric string is a number. */
const NUMBERS = new Set(['qos', 'brightness_scale', 'expire_after', 'min_mireds', 'max_mireds', 'min_kelvin', 'max_kelvin']);
/** Booleans through `cv.boolean`, which reads these words and 0/1. */
const BOOLEANS = new Set(['optimistic', 'brightness', 'effect', 'color_temp_kelvin', 'retain']);
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'enable']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'disable']);

/** Long names, `~` expanded, and values coerced as Home Assistant's schemas coerce them. */
export function expand(raw: Record<string, unknown>): Record<string, unknown> {
  const base = typeof raw['~'] === 'string' ? raw['~'] : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // `__proto__` would set the object's prototype rather than a key; no real config uses it.
    if (key === '~' || key === '__proto__') continue;
    const name = own(abbreviations, key) ?? key;
    out[name] = expandValue(name, value, base);
  }
  return out;
}

function expandValue(name: string, value: unknown, base: string | undefined): unknown {
  if (name === 'device' && isRecord(value)) return renameKeys(value, deviceAbbreviations);
  // `cv.ensure_list`: one availability object is a list of one.
  if (name === 'availability' && isRecord(value)) return [expandTopics(renameKeys(value, abbreviations), base)];
  if (name === 'availability' && Array.isArray(value)) return value.map((v) => (isRecord(v) ? expandTopics(renameKeys(v, abbreviations), base) : v));
  if (name === 'supported_color_modes' && typeof value === 'string') return [value];
  if (name.endsWith('_topic')) return withBase(value, base);
  if (NUMBERS.has(name)) return coerceNumber(value);
  if (BOOLEANS.has(name)) return coerceBoolean(value);
  return value;
}

function coerceNumber(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

function coerceBoolean(value: unknown): unknown {
  const word = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.toLowerCase() : undefined;
  if (word === undefined) return value;
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : value;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

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
