import { describe, expect, it } from 'vitest';
import { Payload, type Announcement, type Entity } from '../../hub/discovery/entity.js';
import { HomieConvention } from '../../hub/discovery/homie/index.js';
import type { DeviceCommand } from '../../hub/protocol/device.js';
import { kitchenLightV4, kitchenLightV5, superCarV4, superCarV5, type Message } from './homie-spec.js';

/** Feeds messages to a fresh convention and keeps its entities as the bridge would: by key. */
function feed(messages: Message[], convention = new HomieConvention()) {
  const entities = new Map<string, Entity>();
  const announcements: (Announcement | null)[] = [];
  for (const [topic, text] of messages) {
    const a = convention.accept(topic, text);
    announcements.push(a);
    for (const key of a?.remove ?? []) entities.delete(key);
    for (const e of a?.put ?? []) entities.set(e.key, e);
  }
  return { convention, entities, announcements, only: (key: string) => entities.get(key)! };
}

/** What the bridge makes of an entity, without its functions. */
const shape = (e: Entity) => ({ ...e, availability: e.availability.map((a) => a.topic), decode: undefined, encode: undefined });

/** A fixed shuffle (Park-Miller), so a failure names the order that broke. */
function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 16807) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('Homie discovery', () => {
  it('reads the spec super-car (Homie 4) as one temperature sensor', () => {
    const { entities } = feed(superCarV4);
    expect([...entities.values()].map(shape)).toStrictEqual([
      {
        key: 'homie/super-car/engine/temperature',
        protocol: 'homie',
        deviceId: 'super-car',
        device: { name: 'Super car', manufacturer: null, model: null },
        kind: 'sensor',
        capabilities: [{ type: 'sensor', property: 'temperature', writable: false, label: 'Engine temperature', unit: '°C' }],
        stateTopics: ['homie/super-car/engine/temperature'],
        commandTopics: [],
        availability: ['homie/super-car/$state'],
        availabilityMode: 'latest',
        decode: undefined,
        encode: undefined,
      },
    ]);
  });

  it.each([
    ['super-car', superCarV4],
    ['kitchen-light', kitchenLightV4],
  ])('builds the same %s from its attributes in any order', (_name, messages) => {
    const inOrder = [...feed(messages).entities.values()].map(shape);
    for (const seed of [1, 7, 42, 1234, 99_999]) {
      expect([...feed(shuffled(messages, seed)).entities.values()].map(shape), `seed ${seed}`).toStrictEqual(inOrder);
    }
    expect([...feed([...messages].reverse()).entities.values()].map(shape)).toStrictEqual(inOrder);
  });

  it('reads the spec super-car (Homie 5) from its $description like its Homie 4 self', () => {
    const { entities } = feed([['homie/5/super-car/$description', JSON.stringify(superCarV5)]]);
    const [temperature] = [...entities.values()];
    expect(shape(temperature!)).toMatchObject({
      key: 'homie/5/super-car/engine/temperature',
      device: { name: 'Supercar' },
      capabilities: [{ type: 'sensor', property: 'temperature', writable: false, label: 'Engine temperature', unit: '°C' }],
      availability: ['homie/5/super-car/$state'],
    });
  });

  it('makes a light of the spec kitchen-light (Homie 5): switch, 0-100 % brightness, colour', () => {
    const { entities } = feed([['homie/5/kitchen-light/$description', JSON.stringify(kitchenLightV5)]]);
    expect([...entities.values()].map((e) => [e.kind, e.capabilities, e.commandTopics])).toStrictEqual([
      ['light', [{ type: 'switch', property: 'on', writable: true }], ['homie/5/kitchen-light/light/power/set']],
      ['light', [{ type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 }], ['homie/5/kitchen-light/light/brightness/set']],
      ['light', [{ type: 'color', property: 'color', writable: true }], ['homie/5/kitchen-light/light/color/set']],
    ]);
  });

  const v4 = feed([...superCarV4, ...kitchenLightV4]);
  const v5 = feed([
    ['homie/5/kitchen-light/$description', JSON.stringify(kitchenLightV5)],
    ['homie/5/hall/$description', JSON.stringify({ homie: '5.0', name: 'Hall', version: 1, nodes: { panel: { properties: { mode: { datatype: 'enum', format: 'home,away' }, note: { datatype: 'string' } } } } })],
  ]);
  const entityAt = (topic: string) => (topic.startsWith('homie/5/') ? v5 : v4).only(topic);

  it.each([
    // Homie 4.0.0 "Payload": numbers as sent, out of `$format` range too.
    ['homie/super-car/engine/temperature', '21.5', { temperature: 21.5 }],
    ['homie/super-car/engine/temperature', '150', { temperature: 150 }],
    ['homie/super-car/engine/temperature', '-1.5e1', { temperature: -15 }],
    ['homie/super-car/engine/temperature', '', { temperature: null }],
    ['homie/kitchen-light/light/power', 'true', { on: true }],
    ['homie/kitchen-light/light/power', 'false', { on: false }],
    ['homie/5/kitchen-light/light/brightness', '50', { brightness: 128 }],
    ['homie/5/kitchen-light/light/brightness', '100', { brightness: 255 }],
    // A level above its range is still the device's word, as bright as the hub's scale goes.
    ['homie/5/kitchen-light/light/brightness', '120', { brightness: 255 }],
    ['homie/5/kitchen-light/light/color', 'rgb,255,128,0', { color: { r: 255, g: 128, b: 0 } }],
    ['homie/5/kitchen-light/light/color', 'hsv,120,100,100', { color: { r: 0, g: 255, b: 0 } }],
    ['homie/5/hall/panel/mode', 'away', { mode: 'away' }],
    // Homie 5 "Empty string values": one 0x00 byte.
    ['homie/5/hall/panel/note', '\u0000', { note: '' }],
    ['homie/5/hall/panel/note', 'back at 6', { note: 'back at 6' }],
  ])('decodes %s %j', (topic, text, expected) => {
    expect(entityAt(topic).decode(topic, new Payload(text))).toStrictEqual(expected);
  });

  it.each([
    ['homie/kitchen-light/light/power', 'True', 'homie boolean "True" is neither true nor false (case-sensitive)'],
    ['homie/kitchen-light/light/power', 'TRUE', 'homie boolean "TRUE" is neither true nor false (case-sensitive)'],
    ['homie/super-car/engine/temperature', 'hot', 'homie float "hot" is not a valid float'],
    ['homie/super-car/engine/temperature', 'NaN', 'homie float "NaN" is not a valid float'],
    ['homie/5/kitchen-light/light/brightness', '50.5', 'homie integer "50.5" is not a valid integer'],
    ['homie/5/kitchen-light/light/brightness', '\u0000', 'homie integer "\\u0000" is not a valid integer'],
    ['homie/5/kitchen-light/light/color', '255,0,0', 'homie colour "255,0,0" is not rgb,r,g,b or hsv,h,s,v or xyz,x,y'],
    ['homie/5/hall/panel/mode', 'Away', 'homie enum value "Away" is not one of home, away'],
  ])('refuses value %s %j', (topic, text, reason) => {
    expect(entityAt(topic).decode(topic, new Payload(text))).toStrictEqual(new Error(reason));
  });

  it.each<[string, DeviceCommand, string]>([
    // "homie/kitchen-light/light/power/set ← true": plain text, as the spec shows it.
    ['homie/kitchen-light/light/power', { on: true }, 'true'],
    ['homie/kitchen-light/light/power', { on: false }, 'false'],
    ['homie/5/kitchen-light/light/brightness', { brightness: 128 }, '50'],
    ['homie/5/kitchen-light/light/brightness', { brightness: 255 }, '100'],
    ['homie/5/kitchen-light/light/brightness', { brightness: 0 }, '0'],
    // The device's preferred format first: this one lists hsv before rgb.
    ['homie/5/kitchen-light/light/color', { color: { r: 255, g: 0, b: 0 } }, 'hsv,0,100,100'],
  ])('encodes on %s %j', (topic, command, payload) => {
    expect(entityAt(topic).encode(command)).toStrictEqual([{ topic: `${topic}/set`, payload, qos: 1 }]);
  });

  it('writes Homie 4 colours as bare numbers in their one format', () => {
    const { only } = feed([
      ...kitchenLightV4.filter(([t]) => !t.endsWith('$properties')),
      ['homie/kitchen-light/light/$properties', 'power,color'],
      ['homie/kitchen-light/light/color/$datatype', 'color'],
      ['homie/kitchen-light/light/color/$format', 'rgb'],
      ['homie/kitchen-light/light/color/$settable', 'true'],
    ]);
    const color = only('homie/kitchen-light/light/color');
    expect(color.encode({ color: { r: 255, g: 0, b: 0 } })).toStrictEqual([{ topic: 'homie/kitchen-light/light/color/set', payload: '255,0,0', qos: 1 }]);
    expect(color.decode('', new Payload('0,0,255'))).toStrictEqual({ color: { r: 0, g: 0, b: 255 } });
  });

  it.each([
    ['ready', true],
    ['init', undefined],
    ['disconnected', false],
    ['sleeping', false],
    ['lost', false],
    ['alert', false],
    ['READY', undefined],
  ])('reads $state %s as online %s', (state, online) => {
    expect(v4.only('homie/super-car/engine/temperature').availability[0]!.decode(new Payload(state))).toBe(online);
  });

  it.each([
    ['homie/super-car/$settable', 'x', null],
    ['homie/super-car/engine/temperature/$settable', 'yes', 'homie $settable "yes" is neither true nor false'],
    ['homie/super-car/engine/temperature/$retained', 'True', 'homie $retained "True" is neither true nor false'],
    ['homie/super-car/engine/temperature/$datatype', 'number', 'homie $datatype "number" is not one of integer, float, boolean, string, enum, color, datetime, duration, json'],
    ['homie/super-car/$homie', 'four', 'homie $homie "four" is not a convention version like 4.0.0'],
    // Homie 3 node arrays are gone in Homie 4.
    ['homie/super-car/$nodes', 'wheels,engine,lights[]', 'homie $nodes lists "lights[]", which is not a Homie id (a-z, 0-9, -)'],
    ['homie/Super_Car/$name', 'Super car', 'homie topic level "Super_Car" is not a Homie id (a-z, 0-9, -)'],
    ['homie/super-car/Engine/$name', 'Car engine', 'homie topic level "Engine" is not a Homie id (a-z, 0-9, -)'],
    ['homie/super-car/$name', 'x'.repeat(70_000), 'homie attribute of 70000 bytes is over the 65536 limit'],
    ['homie/5/super-car/$description', '{"homie":', 'homie $description is not JSON'],
    ['homie/5/super-car/$description', JSON.stringify({ homie: '5.0', name: 'Supercar' }), 'invalid homie $description: / must have required properties version'],
    ['homie/5/super-car/$description', JSON.stringify({ ...superCarV5, homie: '4.0' }), 'invalid homie $description: /homie must match pattern "^5\\.\\d+$"'],
    ['homie/5/super-car/$description', JSON.stringify({ ...superCarV5, nodes: { engine: { properties: { rpm: { datatype: 'number' } } } } }), expect.stringMatching(/^invalid homie \$description: \/nodes\/engine\/properties\/rpm\/datatype /)],
    ['homie/5/super-car/$description', JSON.stringify({ ...superCarV5, nodes: { Engine: {} } }), 'homie $description names "Engine", which is not a Homie id (a-z, 0-9, -)'],
  ])('refuses %s %j with its reason', (topic, text, reason) => {
    const [announcement] = feed([[topic, text]]).announcements;
    if (reason === null) return expect(announcement).toBeNull();
    expect(announcement).toStrictEqual({ put: [], remove: [], errors: [reason], keep: false });
  });

  it('keeps what it knew when an attribute is refused', () => {
    const { entities } = feed([...superCarV4, ['homie/super-car/engine/temperature/$datatype', 'number']]);
    expect(entities.get('homie/super-car/engine/temperature')?.capabilities[0]).toMatchObject({ unit: '°C' });
  });

  it.each([
    'homie/super-car/engine/temperature',
    'homie/super-car/engine/temperature/set',
    'homie/super-car/$state',
    'homie/super-car/$implementation',
    'homie/super-car/$stats/uptime',
    'homie/super-car/$fw/name',
    'homie/$broadcast/alert',
    'homie/5/$broadcast/alert',
    'homie/5/super-car/$state',
    'homie/5/super-car/engine/temperature/$target',
    'homie/5/super-car/$log/info',
    'homie/5/super-car/$alert/battery',
    'homeassistant/light/x/config',
  ])('does not take %s for an announcement', (topic) => {
    expect(new HomieConvention().accept(topic, 'ready')).toBeNull();
  });

  it.each<[string, Message]>([
    ['clearing $nodes', ['homie/super-car/$nodes', '']],
    ['clearing $homie', ['homie/super-car/$homie', '']],
  ])('withdraws a Homie 4 device on %s', (_why, message) => {
    const { announcements } = feed([...superCarV4, message]);
    expect(announcements.at(-1)).toStrictEqual({ put: [], remove: ['homie/super-car/engine/temperature'], errors: [], keep: false });
  });

  it.each<[string, Message]>([
    ['an empty $state', ['homie/5/super-car/$state', '']],
    ['an empty $description', ['homie/5/super-car/$description', '']],
  ])('withdraws a Homie 5 device on %s', (_why, message) => {
    const { announcements } = feed([['homie/5/super-car/$description', JSON.stringify(superCarV5)], message]);
    expect(announcements.at(-1)).toStrictEqual({ put: [], remove: ['homie/5/super-car/engine/temperature'], errors: [], keep: false });
  });

  it('keeps property names unique per device and clear of the hub’s own', () => {
    const { entities } = feed([
      ['homie/weather/$homie', '4.0.0'],
      ['homie/weather/$nodes', 'indoor,outdoor'],
      ['homie/weather/indoor/$properties', 'temperature,on'],
      ['homie/weather/indoor/temperature/$datatype', 'float'],
      ['homie/weather/indoor/on/$datatype', 'boolean'],
      ['homie/weather/outdoor/$properties', 'temperature'],
      ['homie/weather/outdoor/temperature/$datatype', 'float'],
    ]);
    expect([...entities.values()].map((e) => e.capabilities[0]?.property)).toStrictEqual(['temperature', 'indoor_on', 'outdoor_temperature']);
  });

  it('shows settable properties it has no control for read-only, and says why a colour is unusable', () => {
    const { entities } = feed([
      ['homie/thermostat/$homie', '4.0.0'],
      ['homie/thermostat/$nodes', 'heating,relay'],
      ['homie/thermostat/heating/$properties', 'setpoint,mode,tint'],
      ...(['setpoint/$datatype', 'float', 'setpoint/$settable', 'true', 'setpoint/$unit', '°C', 'mode/$datatype', 'enum', 'mode/$format', 'eco,comfort', 'mode/$settable', 'true', 'tint/$datatype', 'color', 'tint/$format', 'cmyk', 'tint/$settable', 'true'].flatMap((v, i, all) => (i % 2 ? [] : [[`homie/thermostat/heating/${v}`, all[i + 1]!] as Message]))),
      ['homie/thermostat/relay/$properties', 'one,two'],
      ['homie/thermostat/relay/one/$datatype', 'boolean'],
      ['homie/thermostat/relay/one/$settable', 'true'],
      ['homie/thermostat/relay/two/$datatype', 'boolean'],
      ['homie/thermostat/relay/two/$settable', 'true'],
    ]);
    expect([...entities.values()].map((e) => [e.kind, e.capabilities[0]?.type ?? e.problem])).toStrictEqual([
      ['sensor', 'sensor'],
      ['sensor', 'sensor'],
      ['sensor', `'heating/tint': colour $format "cmyk" is not rgb or hsv`],
      ['switch', 'switch'],
      ['sensor', 'binarySensor'],
    ]);
  });

  it('waits for a Homie 4 $datatype, but Homie 3 defaults it to string', () => {
    const messages: Message[] = [
      ['homie/old/$nodes', 'node'],
      ['homie/old/node/$properties', 'text'],
    ];
    expect(feed(messages).entities.size).toBe(0);
    expect(feed([['homie/old/$homie', '3.0.1'], ...messages]).only('homie/old/node/text').capabilities).toStrictEqual([
      { type: 'sensor', property: 'text', writable: false, label: 'text' },
    ]);
  });
});
