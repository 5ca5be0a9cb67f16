import { describe, expect, it } from 'vitest';
import { modelOf, kindNames, type KindName } from '../../devices/models/index.js';
import { seededRandom } from '../../devices/random.js';
import { Payload, type Entity } from '../../hub/discovery/entity.js';
import { normaliseHomeAssistant } from '../../hub/discovery/home-assistant/normalise.js';
import type { DeviceCommand, DeviceState } from '../../hub/protocol/device.js';

/** The hub's view of a simulated device: its discovery messages through the hub's own parser. */
function entitiesOf(kind: KindName): Entity[] {
  return modelOf(kind)
    .discoveryConfigs('dev', 'Dev')
    .map(({ topic, config }) => {
      const result = normaliseHomeAssistant(topic, JSON.stringify(config));
      if (!result.ok) throw new Error(result.error);
      return result.entity;
    });
}

const decodeAll = (entities: Entity[], payload: object): DeviceState => {
  const text = new Payload(JSON.stringify(payload));
  return Object.assign({}, ...entities.map((e) => e.decode('hearth/dev/state', text)));
};

describe('simulated devices as the hub sees them', () => {
  it.each(kindNames)('the hub reads every capability of a %s from its state', (kind) => {
    const model = modelOf(kind);
    const entities = entitiesOf(kind);
    expect(new Set(entities.map((e) => e.deviceId))).toStrictEqual(new Set(['dev']));
    const state = decodeAll(entities, model.toStatePayload(model.initialState(seededRandom(1), 0)));
    for (const capability of entities.flatMap((e) => e.capabilities)) {
      expect(state, capability.property).toHaveProperty(capability.property);
    }
  });

  it.each<[KindName, DeviceCommand, DeviceState]>([
    ['onoff-light', { on: true }, { on: true }],
    ['dimmable-light', { on: true, brightness: 128 }, { on: true, brightness: 128 }],
    ['color-light', { colorTemp: 250 }, { on: true, colorTemp: 250, colorMode: 'color_temp' }],
    ['color-light', { color: { r: 10, g: 20, b: 30 } }, { on: true, color: { r: 10, g: 20, b: 30 }, colorMode: 'rgb' }],
    ['plug', { on: true }, { on: true }],
    ['plug', { on: false }, { on: false, power: 0 }],
  ])('a %s obeys the hub command %j and reports it back', (kind, command, expected) => {
    const model = modelOf(kind);
    const entities = entitiesOf(kind);
    let state = model.initialState(seededRandom(2), 0);
    for (const message of entities.flatMap((e) => e.encode(command))) {
      expect(message.topic).toBe('hearth/dev/set');
      const next = model.applyCommand(state, JSON.parse(message.payload));
      if (next instanceof Error) throw next;
      state = next;
    }
    expect(decodeAll(entities, model.toStatePayload(state))).toMatchObject(expected);
  });

  it.each<[KindName, object, DeviceState]>([
    ['door-sensor', { contact: true, battery: 80 }, { door: false, battery: 80 }],
    ['door-sensor', { contact: false, battery: 80 }, { door: true, battery: 80 }],
    ['motion-sensor', { occupancy: true, battery: 80 }, { motion: true, battery: 80 }],
  ])('the hub reads %s state %j as %j', (kind, payload, expected) => {
    expect(decodeAll(entitiesOf(kind), payload)).toStrictEqual(expected);
  });
});
