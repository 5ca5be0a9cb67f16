import { describe, expect, it } from 'vitest';
import { Payload, type Entity } from '../../../hub/discovery/entity.js';
import { normaliseHomeAssistant } from '../../../hub/discovery/home-assistant/normalise.js';

function entity(topic: string, config: object): Entity {
  const result = normaliseHomeAssistant(topic, JSON.stringify(config));
  if (!result.ok) throw new Error(result.error);
  return result.entity;
}

/** Shapes follow what the firmware publishes (keys and values as sent, abbreviated or not). */
const tasmotaRelay = entity('homeassistant/switch/1A2B3C_RL_1/config', {
  name: 'Desk lamp',
  stat_t: 'tele/tasmota_1A2B3C/STATE',
  avty_t: 'tele/tasmota_1A2B3C/LWT',
  pl_avail: 'Online',
  pl_not_avail: 'Offline',
  cmd_t: 'cmnd/tasmota_1A2B3C/POWER',
  val_tpl: '{{value_json.POWER}}',
  pl_off: 'OFF',
  pl_on: 'ON',
  uniq_id: '1A2B3C_RL_1',
  dev: { ids: ['1A2B3C'], name: 'Tasmota desk', mdl: 'Sonoff Basic', mf: 'ITEAD' },
});

const esphomeRgb = entity('homeassistant/light/kitchen-strip/strip/config', {
  name: 'Strip',
  schema: 'json',
  brightness: true,
  sup_clrm: ['rgb'],
  stat_t: 'kitchen-strip/light/strip/state',
  cmd_t: 'kitchen-strip/light/strip/command',
  avty_t: 'kitchen-strip/status',
  uniq_id: 'ESPlightstrip',
  dev: { ids: 'a4cf12b3c4d5', name: 'kitchen-strip', sw: 'esphome v2024.6.1', mdl: 'esp01_1m', mf: 'espressif' },
});

const z2mTemperature = entity('homeassistant/sensor/0x00158d0001a2b3c4/temperature/config', {
  unit_of_measurement: '°C',
  device_class: 'temperature',
  state_class: 'measurement',
  value_template: '{{ value_json.temperature }}',
  state_topic: 'zigbee2mqtt/bedroom_sensor',
  availability: [{ topic: 'zigbee2mqtt/bridge/state' }],
  unique_id: '0x00158d0001a2b3c4_temperature_zigbee2mqtt',
  device: { identifiers: ['zigbee2mqtt_0x00158d0001a2b3c4'], name: 'bedroom_sensor', model: 'Aqara WSDCGQ11LM' },
});

const z2mContact = entity('homeassistant/binary_sensor/0x00158d000aaaaaaa/contact/config', {
  name: null,
  device_class: 'door',
  payload_on: false,
  payload_off: true,
  value_template: '{{ value_json.contact }}',
  state_topic: 'zigbee2mqtt/front_door',
  device: { identifiers: ['zigbee2mqtt_0x00158d000aaaaaaa'], name: 'front_door' },
});

describe('Home Assistant discovery normaliser', () => {
  it('reads identity, topics and capabilities from abbreviated keys', () => {
    expect(tasmotaRelay).toMatchObject({
      deviceId: '1a2b3c',
      device: { name: 'Tasmota desk', manufacturer: 'ITEAD', model: 'Sonoff Basic' },
      capabilities: [{ type: 'switch', property: 'on', writable: true }],
      stateTopics: ['tele/tasmota_1A2B3C/STATE'],
      commandTopics: ['cmnd/tasmota_1A2B3C/POWER'],
    });
    const [source] = tasmotaRelay.availability;
    expect(source!.topic).toBe('tele/tasmota_1A2B3C/LWT');
    expect(['Online', 'Offline', 'online'].map((t) => source!.decode(new Payload(t)))).toStrictEqual([true, false, undefined]);
  });

  it('reads Zigbee2MQTT availability given as JSON through its template', () => {
    const bulb = entity('homeassistant/light/0x01/light/config', {
      schema: 'json',
      command_topic: 'zigbee2mqtt/bulb/set',
      availability: [{ topic: 'zigbee2mqtt/bulb/availability', value_template: '{{ value_json.state }}' }],
      availability_mode: 'all',
    });
    expect(bulb.availabilityMode).toBe('all');
    expect(bulb.availability[0]!.decode(new Payload('{"state":"offline"}'))).toBe(false);
    expect(bulb.availability[0]!.decode(new Payload('{"state":"online"}'))).toBe(true);
  });

  it.each([
    ['Tasmota STATE with POWER ON', tasmotaRelay, '{"Time":"2024-01-01T10:00:00","POWER":"ON","Wifi":{"RSSI":80}}', { on: true }],
    ['Tasmota STATE with POWER OFF', tasmotaRelay, '{"POWER":"OFF"}', { on: false }],
    ['ESPHome RGB light in white mode sends an empty color object', esphomeRgb, '{"state":"ON","color_mode":"brightness","brightness":128,"color":{}}', { on: true, brightness: 128, colorMode: 'brightness' }],
    ['ESPHome RGB light in rgb mode', esphomeRgb, '{"state":"ON","color_mode":"rgb","brightness":255,"color":{"r":255,"g":0,"b":64}}', { on: true, brightness: 255, colorMode: 'rgb', color: { r: 255, g: 0, b: 64 } }],
    ['Zigbee2MQTT temperature among other keys', z2mTemperature, '{"battery":97,"humidity":41.2,"linkquality":87,"temperature":21.37}', { temperature: 21.37 }],
    ['Zigbee2MQTT numeric string reading', z2mTemperature, '{"temperature":"19.5"}', { temperature: 19.5 }],
    ['Zigbee2MQTT contact true means the door is closed', z2mContact, '{"contact":true,"battery":91}', { door: false }],
    ['Zigbee2MQTT contact false means the door is open', z2mContact, '{"contact":false}', { door: true }],
  ])('decodes %s', (_name, e, payload, expected) => {
    expect(e.decode(e.stateTopics[0]!, new Payload(payload))).toStrictEqual(expected);
  });

  it.each([
    ['a switch state that is neither on nor off', tasmotaRelay, '{"POWER":"TOGGLE"}', /neither ON nor OFF/],
    ['a reading that is not a number', z2mTemperature, '{"temperature":"warm"}', /not a number/],
    ['a payload that is not JSON', z2mTemperature, 'garbage{', /no value/],
    ['a light state that is not an object', esphomeRgb, '42', /not a JSON object/],
  ])('refuses %s with a reason', (_name, e, payload, reason) => {
    const result = e.decode(e.stateTopics[0]!, new Payload(payload));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(reason);
  });

  it.each([
    ['switch on', tasmotaRelay, { on: true }, [{ topic: 'cmnd/tasmota_1A2B3C/POWER', payload: 'ON', qos: 0 }]],
    ['switch ignores what it cannot do', tasmotaRelay, { brightness: 10 }, []],
    ['JSON light colour', esphomeRgb, { color: { r: 1, g: 2, b: 3 } }, [{ topic: 'kitchen-strip/light/strip/command', payload: '{"state":"ON","color":{"r":1,"g":2,"b":3}}', qos: 0 }]],
  ])('encodes %s', (_name, e, command, expected) => {
    expect(e.encode(command)).toStrictEqual(expected);
  });

  it.each([
    ['a topic outside the discovery layout', 'homeassistant/light/config', '{}', /not a discovery topic/],
    ['a payload that is not JSON', 'homeassistant/switch/x/config', 'nope', /not JSON/],
    ['a topic of the wrong type', 'homeassistant/switch/x/config', '{"cmd_t":42}', /command_topic/],
  ])('rejects %s', (_name, topic, payload, reason) => {
    const result = normaliseHomeAssistant(topic, payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(reason);
  });

  it.each([
    ['a component the hub does not handle yet', 'homeassistant/vacuum/x/config', '{"name":"Robot","dev":{"ids":["r1"],"name":"Robot"}}', /component 'vacuum' is not supported yet/],
    ['a template outside the supported subset', 'homeassistant/sensor/x/config', '{"stat_t":"a","val_tpl":"{{ states(\'sensor.x\') }}"}', /unsupported template/],
  ])('keeps %s as an unusable entity with the reason', (_name, topic, payload, reason) => {
    const result = normaliseHomeAssistant(topic, payload);
    expect(result.ok && result.entity.problem).toMatch(reason);
    expect(result.ok && result.entity.capabilities).toStrictEqual([]);
  });

  it('expands ~ only at the start or the end of a topic', () => {
    const e = entity('homeassistant/switch/t/config', { '~': 'base/x', stat_t: '~/state', cmd_t: 'pre/~', avty_t: 'a/~/b' });
    expect(e.stateTopics).toStrictEqual(['base/x/state']);
    expect(e.commandTopics).toStrictEqual(['pre/base/x']);
    expect(e.availability[0]!.topic).toBe('a/~/b');
  });
});
