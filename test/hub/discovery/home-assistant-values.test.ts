import { describe, expect, it } from 'vitest';
import { Payload, type Entity } from '../../../hub/discovery/entity.js';
import { normaliseHomeAssistant } from '../../../hub/discovery/home-assistant/normalise.js';

/**
 * Home Assistant's value rules, each from the upstream module or test named beside it
 * (home-assistant/core, components/mqtt and tests/components/mqtt).
 */
function entity(component: string, config: object): Entity {
  const result = normaliseHomeAssistant(`homeassistant/${component}/x/config`, JSON.stringify(config));
  if (!result.ok) throw new Error(result.error);
  if (result.entity.problem) throw new Error(result.entity.problem);
  return result.entity;
}
const decode = (e: Entity, text: string, topic = e.stateTopics[0]!) => e.decode(topic, new Payload(text));

const jsonLight = entity('light', {
  schema: 'json', stat_t: 'l/state', cmd_t: 'l/set', brightness: true, brightness_scale: 99,
  sup_clrm: ['color_temp', 'xy'], effect: true, effect_list: ['colorloop'],
});

describe('Home Assistant value rules', () => {
  it.each([
    // test_light_json.py test_controlling_state_via_topic: "state": null is unknown...
    ['"state": null is unknown and keeps the rest of the message (Zigbee2MQTT)', '{"state":null,"color_mode":"xy","color":{"x":0.701,"y":0.299},"brightness":99}', { on: null, brightness: 255, colorMode: 'xy', color: { r: 255, g: 0, b: 0 } }],
    // ...test_brightness_scale: 99 on a 0-99 scale is full; beyond it is clamped as value_to_brightness clamps.
    ['a brightness beyond brightness_scale is clamped', '{"state":"ON","brightness":150}', { on: true, brightness: 255 }],
    ['a tiny brightness is never 0', '{"state":"ON","brightness":0.1}', { on: true, brightness: 1 }],
    ['a zero brightness is ignored', '{"state":"ON","brightness":0}', { on: true }],
    ['an unknown state word says nothing, the rest still counts', '{"state":"MAYBE","effect":"colorloop"}', { effect: 'colorloop' }],
    ['a colour read by its color_mode', '{"color_mode":"xy","color":{"h":0,"s":100,"x":0.172,"y":0.747}}', { colorMode: 'xy', color: { r: 0, g: 255, b: 0 } }],
    ['a colour temperature read in its mode', '{"color_mode":"color_temp","color_temp":300}', { colorMode: 'color_temp', colorTemp: 300 }],
  ])('JSON light: %s', (_name, text, expected) => {
    expect(decode(jsonLight, text)).toStrictEqual(expected);
  });

  it('JSON light: reads rgbw and rgbww white channels into the colour (color_util)', () => {
    const light = entity('light', { schema: 'json', stat_t: 's', cmd_t: 'c', sup_clrm: ['rgbw', 'rgbww'], min_kelvin: 2702, max_kelvin: 6493 });
    expect(decode(light, '{"state":"ON","color_mode":"rgbw","color":{"r":255,"g":0,"b":0,"w":253}}')).toMatchObject({ color: { r: 255, g: 127, b: 127 } });
    expect(decode(light, '{"state":"ON","color_mode":"rgbww","color":{"r":0,"g":54,"b":98,"c":255,"w":255}}')).toMatchObject({ color: { r: 255, g: 255, b: 255 } });
  });

  it.each([
    // switch.py and binary_sensor.py: "None" is an unknown state, an empty payload says nothing.
    ['switch', { stat_t: 's', cmd_t: 'c' }, 'None', { on: null }],
    ['switch', { stat_t: 's', cmd_t: 'c' }, '', {}],
    ['binary_sensor', { stat_t: 's', dev_cla: 'motion' }, 'None', { motion: null }],
    ['binary_sensor', { stat_t: 's', dev_cla: 'motion' }, '', {}],
    // sensor.py: "None" is no value; an empty reading is ignored by a numeric sensor and is empty text otherwise.
    ['sensor', { stat_t: 's', unit_of_meas: 'W', dev_cla: 'power' }, 'None', { power: null }],
    ['sensor', { stat_t: 's', unit_of_meas: 'W', dev_cla: 'power' }, '', {}],
    ['sensor', { stat_t: 's', obj_id: 'mode' }, '', { x: '' }],
  ])('%s %o reads %j as %o', (component, config, text, expected) => {
    expect(decode(entity(component, config), text)).toStrictEqual(expected);
  });

  it('takes numbers and booleans given as strings, and one availability object, as Home Assistant coerces them', () => {
    const e = entity('light', {
      schema: 'json', stat_t: 'l/s', cmd_t: 'l/c', qos: '2', brightness: 'true', brightness_scale: '100', opt: 'false',
      avty: { t: 'l/avail', pl_avail: 'up', pl_not_avail: 'down' },
    });
    expect(e.encode({ on: true, brightness: 255 })).toStrictEqual([{ topic: 'l/c', payload: '{"state":"ON","brightness":100}', qos: 2 }]);
    expect(e.optimistic).toBe(false);
    expect(e.availability.map((a) => [a.topic, a.decode(new Payload('up')), a.decode(new Payload('down'))])).toStrictEqual([['l/avail', true, false]]);
  });

  it('gives an entity named "" its device name (ESPHome)', () => {
    const e = entity('sensor', { name: '', stat_t: 's', unit_of_meas: '°C', dev_cla: 'temperature', dev: { ids: ['esp1'], name: 'Porch' } });
    expect(e.device.name).toBe('Porch');
    expect(e.capabilities).toMatchObject([{ label: 'X' }]);
  });

  it('offers any effect name when the light says effect: true without a list', () => {
    const e = entity('light', { schema: 'json', stat_t: 's', cmd_t: 'c', effect: true });
    expect(e.capabilities).toContainEqual({ type: 'effect', property: 'effect', writable: true, options: [] });
  });

  it.each([
    // schema_basic.py: an rgb state carries brightness when there is no brightness topic; 0 brightness is ignored.
    ['rgb', 'l/rgb', '128,64,0', { brightness: 128, color: { r: 255, g: 128, b: 0 } }],
    ['rgb', 'l/rgb', '0,0,0', {}],
    ['hs', 'l/hs', '30.118,100', { color: { r: 255, g: 128, b: 0 } }],
    ['xy', 'l/xy', '0.611,0.375', { color: { r: 255, g: 130, b: 1 } }],
    ['colour temperature', 'l/ct', '300', { colorTemp: 300 }],
    ['effect', 'l/fx', 'colorloop', { effect: 'colorloop' }],
    ['state None', 'l/s', 'None', { on: null }],
  ])('default schema reads %s from its own topic', (_name, topic, text, expected) => {
    const light = entity('light', {
      stat_t: 'l/s', cmd_t: 'l/c', rgb_stat_t: 'l/rgb', rgb_cmd_t: 'l/rgb/set', hs_stat_t: 'l/hs', hs_cmd_t: 'l/hs/set',
      xy_stat_t: 'l/xy', xy_cmd_t: 'l/xy/set', clr_temp_stat_t: 'l/ct', clr_temp_cmd_t: 'l/ct/set',
      fx_stat_t: 'l/fx', fx_cmd_t: 'l/fx/set', fx_list: ['colorloop'],
    });
    expect(decode(light, text, topic)).toStrictEqual(expected);
  });

  it('template schema reads state through its templates', () => {
    const light = entity('light', {
      schema: 'template', stat_t: 'l/s', cmd_t: 'l/c', cmd_on_tpl: 'on', cmd_off_tpl: 'off',
      stat_tpl: '{{ value_json.state }}', bri_tpl: '{{ value_json.brightness }}', r_tpl: '{{ value_json.r }}', g_tpl: '{{ value_json.g }}', b_tpl: '{{ value_json.b }}',
    });
    expect(decode(light, '{"state":"on","brightness":128,"r":255,"g":128,"b":0}')).toStrictEqual({ on: true, brightness: 128, color: { r: 255, g: 128, b: 0 } });
    expect(decode(light, '{"state":"None"}')).toStrictEqual({ on: null });
  });

  it('refuses an unknown light schema with a clear problem', () => {
    const result = normaliseHomeAssistant('homeassistant/light/x/config', '{"schema":"fancy","cmd_t":"c"}');
    expect(result.ok && result.entity.problem).toBe('light schema "fancy" is not one of default, json, template');
  });
});
