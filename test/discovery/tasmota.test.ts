import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt, nextMessage } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

/**
 * Tasmota's discovery config as firmware 9.x and later publishes it on
 * `tasmota/discovery/<MAC>/config` (shape as in the Tasmota integration tests of Home
 * Assistant, values ours). Note the FullTopic with %topic% before %prefix%.
 */
const config = (changes: Record<string, unknown>) => ({
  ip: '192.168.15.10',
  dn: 'Tasmota',
  fn: ['Test', 'Beer', 'Milk', 'Four', null],
  hn: 'tasmota_49A3BC-0956',
  if: 0,
  lk: 1,
  mac: '00000049A3BC',
  md: 'Sonoff Basic',
  ofln: 'Offline',
  onln: 'Online',
  state: ['OFF', 'ON', 'TOGGLE', 'HOLD'],
  sw: '9.1.0',
  swn: [null, null, null, null, null],
  t: 'tasmota_49A3BC',
  ft: '%topic%/%prefix%/',
  tp: ['cmnd', 'stat', 'tele'],
  rl: [0, 0, 0, 0, 0, 0, 0, 0],
  swc: [-1, -1, -1, -1, -1, -1, -1, -1],
  btn: [0, 0, 0, 0],
  so: { '4': 0, '11': 0, '13': 0, '17': 1, '20': 0, '30': 0, '68': 0, '73': 0, '82': 0, '114': 0 },
  ty: 0,
  lt_st: 0,
  ver: 1,
  ...changes,
});

const TOPIC = 'tasmota/discovery/00000049A3BC/config';

async function hubWithDevice(payload: object, publish: 'mqtt.js' | 'mosquitto_pub' = 'mqtt.js') {
  const hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  const firmware = await connectMqtt(hub.mqttUrl);
  if (publish === 'mqtt.js') await firmware.publishAsync(TOPIC, JSON.stringify(payload), { qos: 1, retain: true });
  else await mosquittoPub(hub.mqttUrl, TOPIC, JSON.stringify(payload), { retain: true });
  return { hub, live, firmware };
}

const postCommand = (hub: TestHub, id: string, body: object) =>
  hub.fetch(`${hub.httpUrl}/api/devices/${id}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe("Tasmota's own discovery", () => {
  it.each(['mqtt.js', 'mosquitto_pub'] as const)('makes a Sonoff Basic relay a switch that obeys on its own topics (published with %s)', async (publisher) => {
    const { hub, live, firmware } = await hubWithDevice(config({ rl: [1, 0, 0, 0, 0, 0, 0, 0] }), publisher);
    const { device } = await live.next('device', (m) => m.device.id === 'tasmota-00000049a3bc');
    expect(device).toMatchObject({ name: 'Tasmota', kind: 'switch', manufacturer: 'Tasmota', model: 'Sonoff Basic', capabilities: [{ type: 'switch', property: 'on' }] });
    expect(device.source).toMatchObject({ protocol: 'tasmota', topics: { availability: ['tasmota_49A3BC/tele/LWT'] } });

    await firmware.publishAsync('tasmota_49A3BC/tele/LWT', 'Online', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === device.id && m.online);
    await firmware.subscribeAsync('tasmota_49A3BC/cmnd/#');
    // Home Assistant's Tasmota integration numbers the relay even when it is the only one (test_switch.py).
    const sent = nextMessage(firmware, 'tasmota_49A3BC/cmnd/POWER1');
    expect((await postCommand(hub, device.id, { on: true })).status).toBe(202);
    expect(await sent).toBe('ON');

    await firmware.publishAsync('tasmota_49A3BC/stat/RESULT', '{"POWER":"ON"}');
    expect((await live.next('state', (m) => m.id === device.id)).state).toStrictEqual({ on: true });
    await firmware.publishAsync('tasmota_49A3BC/stat/POWER', 'OFF');
    expect((await live.next('state', (m) => m.id === device.id && m.state.on === false)).state).toStrictEqual({ on: false });
    firmware.end(true);
    live.close();
  });

  it('makes each relay of a 4-channel board its own switch, named by its FriendlyName', async () => {
    const { hub, live, firmware } = await hubWithDevice(config({ rl: [1, 1, 1, 1, 0, 0, 0, 0], md: 'Sonoff 4CH' }));
    const ids = new Set<string>();
    while (ids.size < 4) ids.add((await live.next('device')).device.id);
    const devices = (await (await hub.fetch(`${hub.httpUrl}/api/devices`)).json()) as Device[];
    expect(devices.map((d) => [d.id, d.name]).sort()).toStrictEqual([
      ['tasmota-00000049a3bc', 'Test'],
      ['tasmota-00000049a3bc-2', 'Beer'],
      ['tasmota-00000049a3bc-3', 'Milk'],
      ['tasmota-00000049a3bc-4', 'Four'],
    ]);
    await firmware.publishAsync('tasmota_49A3BC/tele/LWT', 'Online', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === 'tasmota-00000049a3bc-2' && m.online);
    await firmware.subscribeAsync('tasmota_49A3BC/cmnd/#');
    const sent = nextMessage(firmware, 'tasmota_49A3BC/cmnd/POWER2');
    await postCommand(hub, 'tasmota-00000049a3bc-2', { on: false });
    expect(await sent).toBe('OFF');
    await firmware.publishAsync('tasmota_49A3BC/stat/RESULT', '{"POWER2":"ON"}');
    expect((await live.next('state', (m) => m.id === 'tasmota-00000049a3bc-2')).state).toStrictEqual({ on: true });
    firmware.end(true);
    live.close();
  });

  it('drives an RGBCW bulb with one Backlog of Dimmer 0-100 and HsbColor, and reads HSBColor back', async () => {
    const { hub, live, firmware } = await hubWithDevice(config({ rl: [2, 0, 0, 0, 0, 0, 0, 0], lt_st: 5, md: 'RGBCW bulb' }));
    const { device } = await live.next('device');
    expect(device.kind).toBe('light');
    expect(device.capabilities.map((c) => c.type)).toStrictEqual(['switch', 'brightness', 'colorTemp', 'color']);
    await firmware.publishAsync('tasmota_49A3BC/tele/LWT', 'Online', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.online);
    await firmware.subscribeAsync('tasmota_49A3BC/cmnd/#');
    const backlog = nextMessage(firmware, 'tasmota_49A3BC/cmnd/Backlog');
    await postCommand(hub, device.id, { brightness: 255, color: { r: 255, g: 0, b: 64 } });
    expect(await backlog).toBe('NoDelay;Dimmer 100;NoDelay;HsbColor1 345;NoDelay;HsbColor2 100');
    await firmware.publishAsync('tasmota_49A3BC/tele/STATE', '{"Time":"2024-01-01T00:00:00","POWER":"ON","Dimmer":50,"Color":"800020","HSBColor":"345,100,50","CT":250}');
    expect((await live.next('state')).state).toStrictEqual({ on: true, brightness: 128, colorTemp: 250, color: { r: 255, g: 0, b: 63 } });
    firmware.end(true);
    live.close();
  });

  it('reads sensors from the sensors message and tele/SENSOR, in the device unit', async () => {
    const { live, firmware } = await hubWithDevice(config({ rl: [1, 0, 0, 0, 0, 0, 0, 0] }));
    await live.next('device');
    const sensors = { sn: { Time: '2024-01-01T00:00:00', AM2301: { Temperature: 21.3, Humidity: 40.1, DewPoint: 7.2 }, ENERGY: { TotalStartTime: '2023-01-01T00:00:00', Total: 1.5, Yesterday: 0.2, Today: 0.1, Power: 12, Voltage: 230, Current: 0.05 }, TempUnit: 'C' }, ver: 1 };
    await firmware.publishAsync('tasmota/discovery/00000049A3BC/sensors', JSON.stringify(sensors), { qos: 1, retain: true });
    const { device } = await live.next('device', (m) => m.device.capabilities.length > 1);
    expect(device.capabilities.map((c) => c.property)).toStrictEqual(['on', 'temperature', 'humidity', 'dew_point', 'energy', 'energy_today', 'power', 'voltage', 'current']);
    expect(device.capabilities.find((c) => c.property === 'temperature')).toMatchObject({ unit: '°C', deviceClass: 'temperature' });
    await firmware.publishAsync('tasmota_49A3BC/tele/SENSOR', JSON.stringify({ ...sensors.sn, AM2301: { Temperature: 22.5, Humidity: 41 } }));
    const state = await live.next('state');
    expect(state.state).toMatchObject({ temperature: 22.5, humidity: 41, power: 12, energy: 1.5 });
    firmware.end(true);
    live.close();
  });

  it('sends the commands Home Assistant sends an RGBCW light (tests/components/tasmota/test_light.py test_sending_mqtt_commands_rgbww)', async () => {
    const { hub, live, firmware } = await hubWithDevice(config({ rl: [2, 0, 0, 0, 0, 0, 0, 0], lt_st: 5 }), 'mosquitto_pub');
    const { device } = await live.next('device');
    await mosquittoPub(hub.mqttUrl, 'tasmota_49A3BC/tele/LWT', 'Online', { retain: true });
    await live.next('availability', (m) => m.online);
    const listener = await connectMqtt(hub.mqttUrl);
    await listener.subscribeAsync('tasmota_49A3BC/cmnd/#');
    const steps: [object, string][] = [
      [{ on: true }, 'NoDelay;Power1 ON'],
      [{ on: false }, 'NoDelay;Power1 OFF'],
      [{ brightness: 192 }, 'NoDelay;Dimmer 75'],
      // hs (240, 75) upstream; the hub speaks RGB, and (64, 64, 255) is that hue and saturation.
      [{ color: { r: 64, g: 64, b: 255 } }, 'NoDelay;Power1 ON;NoDelay;HsbColor1 240;NoDelay;HsbColor2 75'],
      [{ colorTemp: 200 }, 'NoDelay;Power1 ON;NoDelay;CT 200'],
    ];
    for (const [command, backlog] of steps) {
      const sent = nextMessage(listener, 'tasmota_49A3BC/cmnd/Backlog');
      expect((await postCommand(hub, device.id, command)).status).toBe(202);
      expect(await sent).toBe(backlog);
    }
    listener.end(true);
    firmware.end(true);
    live.close();
  });

  it('narrows the colour temperature range to 200-380 mireds with SetOption82 (hatasmota light.py)', async () => {
    const { live, firmware } = await hubWithDevice(config({ rl: [2, 0, 0, 0, 0, 0, 0, 0], lt_st: 2, so: { '82': 1 } }));
    const { device } = await live.next('device');
    expect(device.capabilities).toContainEqual({ type: 'colorTemp', property: 'colorTemp', writable: true, min: 200, max: 380, unit: 'mired' });
    firmware.end(true);
    live.close();
  });

  it.each([
    // tests/components/tasmota/test_sensor.py test_controlling_state_via_mqtt: a sensor announced as null, on a device with no relay.
    ['a reading announced as null', { DHT11: { Temperature: null }, TempUnit: 'C' }, '{"DHT11":{"Temperature":20.5}}', '{"StatusSNS":{"DHT11":{"Temperature":20.0}}}', ['temperature', 20.5, 20]],
    // test_nested_sensor_state_via_mqtt: readings inside an object; values as text stay as sent.
    ['a nested reading', { TX23: { Speed: { Act: 14.8, Avg: 8.5 }, Dir: { Card: 'WSW' } }, SpeedUnit: 'km/h' }, '{"TX23":{"Speed":{"Act":"12.3"}}}', '{"StatusSNS":{"TX23":{"Speed":{"Act":"23.4"}}}}', ['speed_act', '12.3', '23.4']],
    // test_indexed_sensor_state_via_mqtt: one reading per list entry.
    ['a reading in a list', { ENERGY: { TotalTariff: [0, 0.017] } }, '{"ENERGY":{"TotalTariff":[1.2,3.4]}}', '{"StatusSNS":{"ENERGY":{"TotalTariff":[5.6,7.8]}}}', ['totaltariff_1', 3.4, 7.8]],
    // A DS18B20's Id is text, a reading of its own.
    ['an Id string', { DS18B20: { Id: '01131B9C4B3E', Temperature: null } }, '{"DS18B20":{"Id":"01131B9C4B3E","Temperature":12.3}}', '{"StatusSNS":{"DS18B20":{"Id":"01131B9C4B3E"}}}', ['id', '01131B9C4B3E', '01131B9C4B3E']],
  ])('shows %s, from tele/SENSOR and the polled stat/STATUS10', async (_name, sn, pushed, polled, [property, first, second]) => {
    const { hub, live, firmware } = await hubWithDevice(config({}), 'mosquitto_pub');
    await mosquittoPub(hub.mqttUrl, 'tasmota/discovery/00000049A3BC/sensors', JSON.stringify({ sn: { Time: '2020-09-25T12:47:15', ...sn }, ver: 1 }), { retain: true });
    const { device } = await live.next('device');
    expect(device.capabilities.map((c) => c.property)).toContain(property);
    await mosquittoPub(hub.mqttUrl, 'tasmota_49A3BC/tele/SENSOR', pushed);
    expect((await live.next('state', (m) => m.state[property as string] !== undefined)).state[property as string]).toBe(first);
    await mosquittoPub(hub.mqttUrl, 'tasmota_49A3BC/stat/STATUS10', polled);
    expect((await live.next('state', (m) => m.state[property as string] === second)).state[property as string]).toBe(second);
    firmware.end(true);
    live.close();
  });

  it('never treats the empty POWER query Tasmota sends on reconnect as a command or a state', async () => {
    const { hub, live, firmware } = await hubWithDevice(config({ rl: [1, 0, 0, 0, 0, 0, 0, 0] }));
    await live.next('device');
    await firmware.publishAsync('tasmota_49A3BC/cmnd/POWER', '');
    await firmware.publishAsync('tasmota_49A3BC/stat/POWER', 'ON');
    expect((await live.next('state')).state).toStrictEqual({ on: true });
    const health = (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { bridge: { rejectedPayloads: number } };
    expect(health.bridge.rejectedPayloads).toBe(0);
    firmware.end(true);
    live.close();
  });

  it.each([
    ['bad JSON', '{"mac":', /not JSON/],
    ['a missing topic', JSON.stringify({ ...config({}), t: undefined }), /invalid tasmota config/],
    ['a wrong type', JSON.stringify(config({ rl: 'all' })), /invalid tasmota config/],
    ['a huge payload', JSON.stringify(config({ pad: 'x'.repeat(200_000) })), /over the/],
  ])('refuses %s with a reason and keeps serving', async (_name, payload, _reason) => {
    const hub = await startHub();
    const firmware = await connectMqtt(hub.mqttUrl);
    await firmware.publishAsync(TOPIC, payload, { qos: 1 });
    await firmware.publishAsync('tasmota/discovery/0000000000AA/config', JSON.stringify(config({ mac: '0000000000AA', rl: [1] })), { qos: 1 });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    const ids = snapshot.devices.length ? snapshot.devices.map((d) => d.id) : [(await live.next('device')).device.id];
    expect(ids).toStrictEqual(['tasmota-0000000000aa']);
    const health = (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { status: string; bridge: { rejectedDiscovery: number } };
    expect(health).toMatchObject({ status: 'ok', bridge: { rejectedDiscovery: 1 } });
    firmware.end(true);
    live.close();
  });
});
