import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Payload } from '../../hub/discovery/entity.js';
import { normaliseHomeAssistant } from '../../hub/discovery/home-assistant/normalise.js';
import { HomieConvention } from '../../hub/discovery/homie/index.js';
import { TasmotaConvention } from '../../hub/discovery/tasmota/index.js';
import { compileTemplate } from '../../hub/discovery/template/index.js';
import { RUNS } from './runs.js';

/**
 * Property-based: random and adversarial input at every parser of device messages. None
 * may throw: a device can send anything, and the hub must answer it with a refusal.
 */

/** Text as a device could send it: any bytes read as UTF-8, or any JSON. */
const payloadText = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.json({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', 'ON', 'OFF', 'null', '{}', '[]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{}}}', '1e309', '-0', '"\u0000"'),
);

/** Keys real discovery configs use, with values of any type: a config from a confused firmware. */
const HA_KEYS = [
  'name', 'unique_id', 'uniq_id', 'state_topic', 'stat_t', 'command_topic', 'cmd_t', '~', 'schema', 'brightness', 'brightness_scale',
  'supported_color_modes', 'color_mode', 'color_temp_kelvin', 'min_mireds', 'max_mireds', 'effect_list', 'value_template', 'val_tpl',
  'command_template', 'state_value_template', 'payload_on', 'payload_off', 'state_on', 'state_off', 'availability', 'availability_topic',
  'availability_mode', 'availability_template', 'unit_of_measurement', 'device_class', 'state_class', 'expire_after', 'optimistic',
  'entity_category', 'device', 'dev', 'json_attributes_topic', 'brightness_state_topic', 'brightness_command_topic', 'rgb_state_topic',
  '__proto__', 'constructor',
] as const;
const haValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('~/state', 'home/+/x', '{{ value_json.a.b }}', '{{ value | float * 2 }}', ['rgb', 'hs', 'xy', 'color_temp'], { identifiers: ['x'], name: 'X' }));
const haConfig = fc.dictionary(fc.constantFrom(...HA_KEYS), haValue, { maxKeys: 12 }).map((config) => JSON.stringify({ state_topic: 's/t', command_topic: 'c/t', ...config }));
const components = fc.constantFrom('light', 'switch', 'sensor', 'binary_sensor', 'cover', '__proto__', 'constructor');
const command = fc.dictionary(fc.constantFrom('on', 'brightness', 'colorTemp', 'color', 'effect', '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });


describe('device message parsers under random input', () => {
  it('Home Assistant discovery refuses or accepts any config, and its entities take any state and command', () => {
    fc.assert(
      fc.property(components, fc.oneof(haConfig, payloadText), fc.array(payloadText, { maxLength: 4 }), command, (component, config, states, cmd) => {
        const normalised = normaliseHomeAssistant(`homeassistant/${component}/dev1/obj/config`, config);
        if (!normalised.ok) {
          expect(normalised.error).toEqual(expect.any(String));
          return;
        }
        const { entity } = normalised;
        for (const text of states) for (const topic of entity.stateTopics) {
          const state = entity.decode(topic, new Payload(text));
          expect(state instanceof Error || (typeof state === 'object' && state !== null)).toBe(true);
        }
        for (const message of entity.encode(cmd)) expect(typeof message.payload).toBe('string');
        for (const source of entity.availability) for (const text of states) expect([true, false, undefined]).toContain(source.decode(new Payload(text)));
      }),
      RUNS,
    );
  });

  it('templates compile or are refused, and evaluate on any payload without throwing or hanging', () => {
    const source = fc.oneof(
      fc.string({ maxLength: 80 }).map((s) => `{{ ${s} }}`),
      fc.constantFrom('{{ value_json.a.b.c }}', "{{ value_json['x'][0] | float(0) | round(2) }}", '{{ (value | int) // 0 }}', '{% if value_json.on %}ON{% else %}OFF{% endif %}', '{{ value_json | tojson }}', '{{ value * 99999999999 ** 99 }}', '{{ value_json.__proto__.polluted }}', '{{ value_json.constructor.name }}'),
      fc.string({ maxLength: 120 }),
    );
    fc.assert(
      fc.property(source, payloadText, (text, value) => {
        const template = compileTemplate(text);
        if (template instanceof Error) {
          expect(template.message).toMatch(/^unsupported template/);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(value);
        } catch {
          json = undefined;
        }
        try {
          template(value, () => json);
        } catch (error) {
          // A template may fail on a payload it does not fit, but only with an Error the hub reports.
          expect(error).toBeInstanceOf(Error);
        }
      }),
      RUNS,
    );
  });

  it('Tasmota and Homie announcements accept or refuse any message on their topics', () => {
    const tasmotaTopic = fc.constantFrom('tasmota/discovery/AABBCCDDEEFF/config', 'tasmota/discovery/AABBCCDDEEFF/sensors', 'tasmota/discovery/__proto__/config');
    const homieTopic = fc.constantFrom('homie/dev/$homie', 'homie/dev/$nodes', 'homie/dev/light/$properties', 'homie/dev/light/on/$datatype', 'homie/dev/light/on/$format', 'homie/dev/light/on/$settable', 'homie/5/dev/$description', 'homie/5/dev/$state', 'homie/__proto__/$homie');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(tasmotaTopic, homieTopic), payloadText), { minLength: 1, maxLength: 8 }), (messages) => {
        const tasmota = new TasmotaConvention();
        const homie = new HomieConvention();
        for (const [topic, text] of messages) {
          for (const convention of [tasmota, homie]) {
            const announcement = convention.accept(topic, text);
            if (announcement) for (const entity of announcement.put) entity.decode(entity.stateTopics[0] ?? topic, new Payload(text));
          }
        }
      }),
      RUNS,
    );
  });
});
