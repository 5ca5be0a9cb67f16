import { describe, expect, it } from 'vitest';
import { Payload, type Entity } from '../../../hub/discovery/entity.js';
import { normaliseHomeAssistant } from '../../../hub/discovery/home-assistant/normalise.js';
import { Zigbee2mqttClaims } from '../../../hub/discovery/zigbee2mqtt/claims.js';
import { readExpose } from '../../../hub/discovery/zigbee2mqtt/devices.js';
import { zigbeeEntities } from '../../../hub/discovery/zigbee2mqtt/entities.js';
import { controlParts, readingPart } from '../../../hub/discovery/zigbee2mqtt/exposes.js';
import { Zigbee2mqttConvention } from '../../../hub/discovery/zigbee2mqtt/index.js';
import { bulb, climate, colourBulb, coordinator, door, doubleSwitch, plug } from '../../discovery/zigbee2mqtt-fixtures.js';

type Fixture = typeof plug;
const entitiesOf = (fixture: Fixture) => zigbeeEntities('zigbee2mqtt', fixture as Parameters<typeof zigbeeEntities>[1]);
const decode = (entity: Entity, state: object) => entity.decode('zigbee2mqtt/x', new Payload(JSON.stringify(state)));
const encode = (entity: Entity, command: object) => entity.encode(command).map((m) => [m.topic, JSON.parse(m.payload)]);

describe('Zigbee2MQTT exposes', () => {
  it.each([
    ['a switch', plug, 'switch', ['on', 'power', 'energy', 'device_temperature', 'power_outage_memory', 'linkquality']],
    ['a white-spectrum bulb', bulb, 'light', ['on', 'brightness', 'colorTemp', 'linkquality']],
    ['a colour bulb', colourBulb, 'light', ['on', 'brightness', 'colorTemp', 'color', 'linkquality']],
    ['a door sensor', door, 'sensor', ['open', 'battery', 'voltage', 'linkquality']],
    ['a climate sensor', climate, 'sensor', ['temperature', 'humidity', 'pressure', 'battery', 'linkquality']],
  ])('maps %s to the hub kind and properties', (_name, fixture, kind, properties) => {
    const [main] = entitiesOf(fixture as Fixture);
    expect([main!.kind, main!.capabilities.map((c) => c.property)]).toStrictEqual([kind, properties]);
  });

  it.each([
    ['state with its own words', plug, { state: 'ON', power: 12.5, energy: 1.25 }, { on: true, power: 12.5, energy: 1.25 }],
    ['brightness 0-254 as 0-255', bulb, { state: 'OFF', brightness: 254, color_temp: 370 }, { on: false, brightness: 255, colorTemp: 370 }],
    ['xy colour as RGB, with its mode', colourBulb, { color: { x: 0.701, y: 0.299 }, color_mode: 'xy' }, { color: { r: 255, g: 0, b: 0 }, colorMode: 'xy' }],
    ['hue/saturation colour as RGB', colourBulb, { color: { hue: 240, saturation: 100 } }, { color: { r: 0, g: 0, b: 255 } }],
    ['contact true (closed) as not open', door, { contact: true, battery: 91 }, { open: false, battery: 91 }],
    ['contact false as open', door, { contact: false }, { open: true }],
    ['a null reading as no value', climate, { temperature: null, humidity: 45.5 }, { temperature: null, humidity: 45.5 }],
  ])('reads %s', (_name, fixture, state, expected) => {
    expect(decode(entitiesOf(fixture as Fixture)[0]!, state)).toStrictEqual(expected);
  });

  it.each([
    ['a state word it did not declare', plug, { state: 'MAYBE' }, /state is "MAYBE", neither "ON" nor "OFF"/],
    ['a number that is text', climate, { temperature: '21' }, /temperature is "21", not a number/],
    ['a state that is not an object', plug, [1], /not a JSON object/],
  ])('refuses %s', (_name, fixture, state, reason) => {
    expect(String(decode(entitiesOf(fixture as Fixture)[0]!, state))).toMatch(reason);
  });

  it.each([
    ['on/off with the declared words', plug, { on: false }, { state: 'OFF' }],
    ['brightness in the bulb scale', bulb, { on: true, brightness: 128 }, { state: 'ON', brightness: 127 }],
    ['colour in xy, preferred over hue/saturation', colourBulb, { color: { r: 255, g: 0, b: 0 } }, { color: { x: 0.701, y: 0.299 } }],
  ])('writes %s to <name>/set', (_name, fixture, command, body) => {
    const name = (fixture as Fixture).friendly_name;
    expect(encode(entitiesOf(fixture as Fixture)[0]!, command)).toStrictEqual([[`zigbee2mqtt/${name}/set`, body]]);
  });

  it('makes each endpoint of a double switch a device, and lists what it cannot use', () => {
    const entities = entitiesOf(doubleSwitch as unknown as Fixture);
    expect(entities.map((e) => [e.deviceId, e.device.name, e.capabilities.map((c) => c.property), e.problem])).toStrictEqual([
      ['zigbee2mqtt_0x00158d0002c0ffee', 'stairs', ['on'], undefined],
      ['zigbee2mqtt_0x00158d0002c0ffee-right', 'stairs right', ['on'], undefined],
      ['zigbee2mqtt_0x00158d0002c0ffee', 'stairs', [], "expose 'climate' (climate) is not supported yet"],
    ]);
    expect(encode(entities[1]!, { on: true })).toStrictEqual([['zigbee2mqtt/stairs/set', { state_right: 'ON' }]]);
    expect(decode(entities[0]!, { state_left: 'ON', state_right: 'OFF' })).toStrictEqual({ on: true });
  });

  it.each([
    ['published only (1)', 1, true],
    ['published and settable (7)', 7, true],
    ['settable only (2)', 2, false],
  ])('reads a numeric that is %s', (_name, access, read) => {
    expect(readingPart({ type: 'numeric', name: 'x', property: 'x', access }) !== null).toBe(read);
  });

  it('takes a light feature only when it can be set', () => {
    const light = readExpose({ type: 'light', features: [{ type: 'binary', name: 'state', property: 'state', access: 1, value_on: 'ON', value_off: 'OFF' }] });
    expect(light instanceof Error ? light : controlParts(light)).toStrictEqual([]);
  });
});

describe('Zigbee2MQTT device list', () => {
  const list = (devices: object[]) => JSON.stringify(devices);

  it('skips the coordinator and withdraws devices that leave the list', () => {
    const z2m = new Zigbee2mqttConvention(new Zigbee2mqttClaims('zigbee2mqtt'));
    expect(z2m.accept('zigbee2mqtt/bridge/devices', list([coordinator, plug, bulb]))!.put.map((e) => e.deviceId)).toStrictEqual(['zigbee2mqtt_0x00158d00018255df', 'zigbee2mqtt_0x000b57fffec6a5b2']);
    const next = z2m.accept('zigbee2mqtt/bridge/devices', list([coordinator, bulb]))!;
    expect(next.remove).toStrictEqual(['zigbee2mqtt/bridge/devices#0x00158d00018255df']);
    expect(z2m.accept('zigbee2mqtt/bridge/info', '{}')).toBeNull();
  });

  it('leaves Home Assistant configs of a listed device to the list, and withdraws those announced before it', () => {
    const claims = new Zigbee2mqttClaims('zigbee2mqtt');
    const config = (topic: string) => normaliseHomeAssistant(topic, JSON.stringify({ name: null, state_topic: 'zigbee2mqtt/my_plug', command_topic: 'zigbee2mqtt/my_plug/set', device: { identifiers: ['zigbee2mqtt_0x00158d00018255df'] } }));
    const before = config('homeassistant/switch/0x00158d00018255df/switch/config');
    expect(before.ok && claims.leftToList(before.entity)).toBe(false);
    const announced = new Zigbee2mqttConvention(claims).accept('zigbee2mqtt/bridge/devices', list([plug]))!;
    expect(announced.remove).toStrictEqual(['homeassistant/switch/0x00158d00018255df/switch/config']);
    const after = config('homeassistant/sensor/0x00158d00018255df/power/config');
    expect(after.ok && claims.leftToList(after.entity)).toBe(true);
  });

  it('keeps Home Assistant configs of another Zigbee2MQTT instance', () => {
    const claims = new Zigbee2mqttClaims('zigbee2mqtt');
    new Zigbee2mqttConvention(claims).accept('zigbee2mqtt/bridge/devices', list([plug]));
    const other = normaliseHomeAssistant('homeassistant/switch/x/switch/config', JSON.stringify({ state_topic: 'garage-z2m/my_plug', command_topic: 'garage-z2m/my_plug/set', device: { identifiers: ['zigbee2mqtt_0x00158d00018255df'] } }));
    expect(other.ok && claims.leftToList(other.entity)).toBe(false);
  });
});
