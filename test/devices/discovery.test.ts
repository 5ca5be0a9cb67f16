import { describe, expect, it } from 'vitest';
import { kinds, type KindName } from '../../devices/models/index.js';

// The contract the hub's discovery parser is written against (Home Assistant MQTT
// discovery as Zigbee2MQTT publishes it); every field is spelled out on purpose.
const common = (id: string, objectId: string, model: string) => ({
  state_topic: `hearth/${id}/state`,
  availability_topic: `hearth/${id}/availability`,
  unique_id: `${id}_${objectId}`,
  device: { identifiers: [`hearth_${id}`], name: 'Thing', manufacturer: 'Hearth', model, sw_version: '1.0.0' },
});
const light = (model: string, body: object) => ({
  name: null,
  schema: 'json',
  command_topic: 'hearth/x/set',
  brightness_scale: 255,
  ...body,
  ...common('x', 'light', model),
});
const sensor = (objectId: string, model: string, name: string, deviceClass: string, unit: string, stateClass = 'measurement') => ({
  name,
  device_class: deviceClass,
  unit_of_measurement: unit,
  state_class: stateClass,
  value_template: `{{ value_json.${objectId} }}`,
  ...common('x', objectId, model),
});
const battery = (model: string) => sensor('battery', model, 'Battery', 'battery', '%');
const binary = (objectId: string, model: string, name: string, deviceClass: string, on: boolean) => ({
  name,
  device_class: deviceClass,
  value_template: `{{ value_json.${objectId} }}`,
  payload_on: on,
  payload_off: !on,
  ...common('x', objectId, model),
});

const expected: Record<KindName, Record<string, object>> = {
  'onoff-light': {
    'homeassistant/light/x/light/config': light('Simulated on/off light', { brightness: false, supported_color_modes: ['onoff'] }),
  },
  'dimmable-light': {
    'homeassistant/light/x/light/config': light('Simulated dimmable light', { brightness: true, supported_color_modes: ['brightness'] }),
  },
  'color-light': {
    'homeassistant/light/x/light/config': light('Simulated colour light', {
      brightness: true,
      supported_color_modes: ['color_temp', 'rgb'],
      min_mireds: 153,
      max_mireds: 500,
    }),
  },
  plug: {
    'homeassistant/switch/x/switch/config': {
      name: null,
      value_template: '{{ value_json.state }}',
      command_topic: 'hearth/x/set',
      payload_on: '{"state":"ON"}',
      payload_off: '{"state":"OFF"}',
      state_on: 'ON',
      state_off: 'OFF',
      ...common('x', 'switch', 'Simulated plug'),
    },
    'homeassistant/sensor/x/power/config': sensor('power', 'Simulated plug', 'Power', 'power', 'W'),
    'homeassistant/sensor/x/energy/config': sensor('energy', 'Simulated plug', 'Energy', 'energy', 'kWh', 'total_increasing'),
  },
  'climate-sensor': {
    'homeassistant/sensor/x/temperature/config': sensor('temperature', 'Simulated climate sensor', 'Temperature', 'temperature', '°C'),
    'homeassistant/sensor/x/humidity/config': sensor('humidity', 'Simulated climate sensor', 'Humidity', 'humidity', '%'),
    'homeassistant/sensor/x/battery/config': battery('Simulated climate sensor'),
  },
  'motion-sensor': {
    'homeassistant/binary_sensor/x/occupancy/config': binary('occupancy', 'Simulated motion sensor', 'Occupancy', 'motion', true),
    'homeassistant/sensor/x/battery/config': battery('Simulated motion sensor'),
  },
  // Zigbee2MQTT's contact is true when closed; Home Assistant's door class is ON when open.
  'door-sensor': {
    'homeassistant/binary_sensor/x/contact/config': binary('contact', 'Simulated door sensor', 'Door', 'door', false),
    'homeassistant/sensor/x/battery/config': battery('Simulated door sensor'),
  },
};

describe('Home Assistant discovery configs', () => {
  it.each(Object.entries(expected))('%s announces exactly its entities', (kind, configs) => {
    const messages = kinds[kind as KindName].discoveryConfigs('x', 'Thing');
    expect(Object.fromEntries(messages.map((m) => [m.topic, m.config]))).toStrictEqual(configs);
  });
});
