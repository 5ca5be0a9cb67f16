import { describe, expect, it } from 'vitest';
import { Payload } from '../../../hub/discovery/entity.js';
import { COMPONENTS, readComponent, splitKey } from '../../../hub/discovery/shelly/components.js';
import { ShellyConvention } from '../../../hub/discovery/shelly/index.js';
import { fullStatus, notifyStatus, PREFIX, switchStatus } from '../../discovery/shelly-fixtures.js';

/** Status shapes as in the Shelly Gen2 API docs, ComponentsAndServices/<Type>#status. */
describe('Shelly component status', () => {
  it.each([
    ['switch', 0, switchStatus, { on: false, power: 0, voltage: 233.1, current: 0, energy: 0, device_temperature: 41.6 }],
    ['switch', 0, { id: 0, source: 'init', output: true }, { on: true }],
    ['switch', 1, { id: 1, output: true, apower: 8.1 }, { on: true, power: 8.1 }],
    ['light', 0, { id: 0, source: 'init', output: true, brightness: 50 }, { on: true, brightness: 128 }],
    ['light', 0, { id: 0, brightness: 100 }, { brightness: 255 }],
    ['temperature', 0, { id: 0, tC: 21.3, tF: 70.3 }, { temperature: 21.3 }],
    ['temperature', 1, { id: 1, tC: null, tF: null }, { temperature_1: null }],
    ['humidity', 0, { id: 0, rh: 46.5 }, { humidity: 46.5 }],
    ['devicepower', 0, { id: 0, battery: { V: 5.98, percent: 91 }, external: { present: false } }, { battery: 91 }],
    ['illuminance', 0, { id: 0, lux: 120, illumination: 'bright' }, { illuminance: 120 }],
    ['input', 0, { id: 0, state: true }, { input: true }],
    ['input', 2, { id: 2, state: null }, { input_2: null }],
  ])('reads %s:%i %j', (type, id, status, expected) => {
    expect(readComponent(COMPONENTS[type]!, id, status)).toStrictEqual(expected);
  });

  it.each([
    ['switch', { id: 0, output: 'on' }, /on is "on", not a boolean/],
    ['humidity', { id: 0, rh: '46' }, /humidity is "46", not a number/],
  ])('refuses a %s field of the wrong type', (type, status, reason) => {
    expect(String(readComponent(COMPONENTS[type]!, 0, status))).toMatch(reason);
  });

  it.each([
    ['switch:0', ['switch', 0]],
    ['input:12', ['input', 12]],
    ['sys', ['sys', 0]],
    ['Switch:0', null],
    ['switch:x', null],
  ])('splits the component key %s', (key, expected) => {
    expect(splitKey(key)).toStrictEqual(expected);
  });
});

describe('Shelly convention', () => {
  const full = JSON.stringify({ src: PREFIX, dst: 'hearth-hub', method: 'NotifyFullStatus', params: { ts: 1654511972.1, ...fullStatus } });

  it('announces a device on its first full status and asks who it is', () => {
    const announced = new ShellyConvention().accept(`${PREFIX}/events/rpc`, full)!;
    expect(announced.put.map((e) => [e.deviceId, e.kind, e.capabilities.map((c) => c.property)])).toStrictEqual([
      [PREFIX, 'switch', ['on', 'power', 'voltage', 'current', 'energy', 'device_temperature']],
      [PREFIX, 'sensor', ['input']],
    ]);
    expect(announced.alsoState).toBe(true);
    expect(announced.send?.map((m) => [m.topic, JSON.parse(m.payload)])).toStrictEqual([
      [`${PREFIX}/rpc`, { id: 1, src: 'hearth-hub', method: 'Shelly.GetDeviceInfo' }],
      [`${PREFIX}/rpc`, { id: 2, src: 'hearth-hub', method: 'Shelly.GetStatus' }],
    ]);
  });

  it('leaves a delta that changes no component to the state path, and decodes only what it carries', () => {
    const shelly = new ShellyConvention();
    const [switchEntity] = shelly.accept(`${PREFIX}/events/rpc`, full)!.put;
    const delta = notifyStatus({ 'switch:0': { id: 0, apower: 12.5, aenergy: { total: 3.1 } } });
    expect(shelly.accept(`${PREFIX}/events/rpc`, delta)).toBeNull();
    expect(switchEntity!.decode(`${PREFIX}/events/rpc`, new Payload(delta))).toStrictEqual({ power: 12.5, energy: 3.1 });
  });

  it('rebuilds the device when a delta brings a component it had not reported', () => {
    const shelly = new ShellyConvention();
    shelly.accept(`${PREFIX}/events/rpc`, full);
    const announced = shelly.accept(`${PREFIX}/events/rpc`, notifyStatus({ 'temperature:100': { id: 100, tC: 19.5 } }))!;
    expect(announced.put.map((e) => e.key)).toStrictEqual([`shelly/${PREFIX}#switch:0`, `shelly/${PREFIX}#temperature:100`, `shelly/${PREFIX}#input:0`]);
  });

  it('makes each output of a 2PM a device of its own', () => {
    const params = { 'switch:0': { id: 0, output: true }, 'switch:1': { id: 1, output: false } };
    const announced = new ShellyConvention().accept('shellyplus2pm-1/events/rpc', JSON.stringify({ src: 'shellyplus2pm-1', method: 'NotifyFullStatus', params }))!;
    expect(announced.put.map((e) => [e.deviceId, e.device.name])).toStrictEqual([
      ['shellyplus2pm-1', 'shellyplus2pm-1'],
      ['shellyplus2pm-1-2', 'shellyplus2pm-1 2'],
    ]);
    expect(announced.put[1]!.encode({ on: true }).map((m) => JSON.parse(m.payload).params)).toStrictEqual([{ id: 1, on: true }]);
  });

  it.each([
    ['some/sensor/online', 'online'],
    ['some/thing/status/sys', '{}'],
    ['some/thing/events/rpc', JSON.stringify({ src: 'x', method: 'NotifyEvent', params: { events: [] } })],
    ['hearth-hub/rpc', JSON.stringify({ id: 99, src: 'x', dst: 'hearth-hub', result: { was_on: true } })],
  ])('is not an announcement: %s %s', (topic, text) => {
    expect(new ShellyConvention().accept(topic, text)).toBeNull();
  });
});
