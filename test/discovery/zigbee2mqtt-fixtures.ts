/**
 * Entries of Zigbee2MQTT's `bridge/devices` as it publishes them: the entry layout of the
 * docs' example (zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html#zigbee2mqtt-bridge-devices),
 * the exposes of each model as on its device page (zigbee2mqtt.io/devices/<model>.html) and
 * in zigbee-herdsman-converters (names, access bits, units, ranges). Addresses and friendly
 * names are ours.
 */
const light = (features: object[]) => ({ type: 'light', features });
const binary = (name: string, access: number, on: unknown, off: unknown, extra: object = {}) => ({ type: 'binary', name, property: name, access, value_on: on, value_off: off, ...extra });
const numeric = (name: string, access: number, extra: object = {}) => ({ type: 'numeric', name, property: name, access, ...extra });
const linkquality = numeric('linkquality', 1, { unit: 'lqi', value_min: 0, value_max: 255, category: 'diagnostic', label: 'Linkquality' });
const state = binary('state', 7, 'ON', 'OFF', { value_toggle: 'TOGGLE', label: 'State' });

export const coordinator = {
  ieee_address: '0x00124b00120144ae',
  type: 'Coordinator',
  network_address: 0,
  supported: false,
  disabled: false,
  friendly_name: 'Coordinator',
  endpoints: { '1': { bindings: [], configured_reportings: [], clusters: { input: [], output: [] } } },
  definition: null,
  power_source: null,
  date_code: null,
  model_id: null,
  interviewing: false,
  interview_completed: true,
};

const entry = (ieee: string, name: string, type: string, definition: object) => ({
  ieee_address: ieee,
  type,
  network_address: 29159,
  supported: true,
  disabled: false,
  friendly_name: name,
  endpoints: {},
  definition,
  power_source: type === 'Router' ? 'Mains (single phase)' : 'Battery',
  interviewing: false,
  interview_completed: true,
});

/** Xiaomi ZNCZ02LM (the docs' example device), a plug with a power meter. */
export const plug = entry('0x00158d00018255df', 'my_plug', 'Router', {
  model: 'ZNCZ02LM',
  vendor: 'Xiaomi',
  description: 'Mi power plug ZigBee',
  exposes: [
    { type: 'switch', features: [state] },
    numeric('power', 5, { unit: 'W', label: 'Power' }),
    numeric('energy', 5, { unit: 'kWh', label: 'Energy' }),
    numeric('device_temperature', 1, { unit: '°C', label: 'Device temperature' }),
    binary('power_outage_memory', 7, true, false, { category: 'config' }),
    linkquality,
  ],
});

/** IKEA LED1545G12, the docs' example bulb: brightness 0-254, colour temperature 250-454 mireds. */
export const bulb = entry('0x000b57fffec6a5b2', 'kitchen/bulb', 'Router', {
  model: 'LED1545G12',
  vendor: 'IKEA',
  description: 'TRADFRI LED bulb E26/E27 980 lumen, dimmable, white spectrum, opal white',
  exposes: [
    light([state, numeric('brightness', 7, { value_min: 0, value_max: 254 }), numeric('color_temp', 7, { unit: 'mired', value_min: 250, value_max: 454 })]),
    { type: 'enum', name: 'effect', property: 'effect', access: 2, values: ['blink', 'breathe', 'okay'] },
    linkquality,
  ],
});

/** Philips 9290022166 (Hue White and Colour Ambiance E27), colour in xy and hue/saturation. */
export const colourBulb = entry('0x0017880104e45517', 'hall_bulb', 'Router', {
  model: '9290022166',
  vendor: 'Philips',
  description: 'Hue white and color ambiance E26/E27',
  exposes: [
    light([
      state,
      numeric('brightness', 7, { value_min: 0, value_max: 254 }),
      numeric('color_temp', 7, { unit: 'mired', value_min: 153, value_max: 500 }),
      { type: 'composite', name: 'color_xy', property: 'color', access: 7, features: [numeric('x', 7), numeric('y', 7)] },
      { type: 'composite', name: 'color_hs', property: 'color', access: 7, features: [numeric('hue', 7), numeric('saturation', 7)] },
    ]),
    linkquality,
  ],
});

/** Aqara MCCGQ11LM door and window sensor: `contact` is true when closed. */
export const door = entry('0x00158d000aaaaaaa', 'front_door', 'EndDevice', {
  model: 'MCCGQ11LM',
  vendor: 'Aqara',
  description: 'Door and window sensor',
  exposes: [binary('contact', 1, false, true, { label: 'Contact' }), numeric('battery', 1, { unit: '%', value_min: 0, value_max: 100, category: 'diagnostic' }), numeric('voltage', 1, { unit: 'mV', category: 'diagnostic' }), linkquality],
});

/** Aqara WSDCGQ11LM temperature, humidity and pressure sensor. */
export const climate = entry('0x00158d0001a2b3c4', 'bedroom_sensor', 'EndDevice', {
  model: 'WSDCGQ11LM',
  vendor: 'Aqara',
  description: 'Temperature, humidity and pressure sensor',
  exposes: [numeric('temperature', 1, { unit: '°C' }), numeric('humidity', 1, { unit: '%' }), numeric('pressure', 1, { unit: 'hPa' }), numeric('battery', 1, { unit: '%', category: 'diagnostic' }), linkquality],
});

/** A double relay (Aqara QBKG12LM-like): each endpoint its own switch, properties `state_left`/`state_right`. */
export const doubleSwitch = entry('0x00158d0002c0ffee', 'stairs', 'Router', {
  model: 'QBKG12LM',
  vendor: 'Aqara',
  description: 'Smart wall switch (with neutral, double rocker)',
  exposes: [
    { type: 'switch', endpoint: 'left', features: [{ ...state, property: 'state_left', endpoint: 'left' }] },
    { type: 'switch', endpoint: 'right', features: [{ ...state, property: 'state_right', endpoint: 'right' }] },
    { type: 'climate', features: [] },
  ],
});

export const deviceList = [coordinator, plug, bulb, colourBulb, door, climate];
