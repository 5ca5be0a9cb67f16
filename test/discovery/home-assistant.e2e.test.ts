import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt, nextMessage } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const getJson = async <T>(hub: TestHub, path: string) => (await (await hub.fetch(`${hub.httpUrl}${path}`)).json()) as T;

/** A Tasmota relay with SetOption19 (Home Assistant discovery), as its firmware sends it: abbreviated keys. */
const tasmotaRelay = {
  name: 'Garden pump',
  stat_t: 'tele/garden/STATE',
  avty_t: 'tele/garden/LWT',
  pl_avail: 'Online',
  pl_not_avail: 'Offline',
  cmd_t: 'cmnd/garden/POWER',
  val_tpl: '{{value_json.POWER}}',
  pl_off: 'OFF',
  pl_on: 'ON',
  uniq_id: 'C45BBE_RL_1',
  dev: { ids: ['C45BBE'], name: 'Garden', mdl: 'Sonoff Basic', sw: '13.2.0', mf: 'Tasmota' },
};

describe('Home Assistant discovery from the reference mosquitto clients', () => {
  it('picks up a retained config published before the hub subscribed, takes commands on the exact topic, and reads state', async () => {
    const hub = await startHub();
    await mosquittoPub(hub.mqttUrl, 'homeassistant/switch/C45BBE_RL_1/config', JSON.stringify(tasmotaRelay), { retain: true });
    await mosquittoPub(hub.mqttUrl, 'tele/garden/LWT', 'Online', { retain: true });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    const garden = snapshot.devices.find((d) => d.id === 'c45bbe') ?? (await live.next('device', (m) => m.device.id === 'c45bbe')).device;
    expect(garden).toMatchObject({ name: 'Garden', kind: 'switch', model: 'Sonoff Basic', capabilities: [{ type: 'switch', property: 'on' }] });
    if (!garden.online) await live.next('availability', (m) => m.id === 'c45bbe' && m.online);

    const firmware = await connectMqtt(hub.mqttUrl);
    await firmware.subscribeAsync('cmnd/garden/POWER');
    const received = nextMessage(firmware, 'cmnd/garden/POWER');
    const response = await hub.fetch(`${hub.httpUrl}/api/devices/c45bbe/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true}' });
    expect(response.status).toBe(202);
    expect(await received).toBe('ON');

    await mosquittoPub(hub.mqttUrl, 'tele/garden/STATE', '{"Time":"2024-05-01T10:00:00","Uptime":"0T01:00:00","POWER":"ON","Wifi":{"RSSI":70}}', { qos: 0 });
    expect((await live.next('state', (m) => m.id === 'c45bbe')).state).toStrictEqual({ on: true });
    firmware.end(true);
    live.close();
  });

  it('shows an announced component it cannot use, with the reason, instead of dropping it', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    await mosquittoPub(hub.mqttUrl, 'homeassistant/vacuum/robo/config', JSON.stringify({ name: 'Robo', cmd_t: 'robo/cmd', dev: { ids: ['robo1'], name: 'Robo' } }), { retain: true });
    const { device } = await live.next('device', (m) => m.device.id === 'robo1');
    expect(device.capabilities).toStrictEqual([]);
    expect(device.source.problems).toStrictEqual(["homeassistant/vacuum/robo/config: component 'vacuum' is not supported yet"]);
    live.close();
  });

  it('refuses a huge config with a reason and keeps serving', async () => {
    const hub = await startHub();
    const client = await connectMqtt(hub.mqttUrl);
    await client.publishAsync('homeassistant/sensor/big/config', JSON.stringify({ stat_t: 'x', pad: 'x'.repeat(100_000) }), { qos: 1 });
    await client.publishAsync('homeassistant/sensor/small/config', JSON.stringify({ stat_t: 'y', dev: { ids: ['small'], name: 'Small' } }), { qos: 1 });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    const ids = snapshot.devices.length ? snapshot.devices.map((d) => d.id) : [(await live.next('device')).device.id];
    expect(ids).toStrictEqual(['small']);
    const health = await getJson<{ status: string; bridge: { rejectedDiscovery: number } }>(hub, `/api/health`);
    expect(health).toMatchObject({ status: 'ok', bridge: { rejectedDiscovery: 1 } });
    client.end(true);
    live.close();
  });

  it('reads a state that landed between two entities of one device', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const plug = await connectMqtt(hub.mqttUrl);
    const device = { ids: ['plug9'], name: 'Plug 9' };
    await plug.publishAsync('homeassistant/switch/plug9/switch/config', JSON.stringify({ stat_t: 'p9/state', val_tpl: '{{ value_json.state }}', cmd_t: 'p9/set', dev: device }), { qos: 1 });
    await plug.publishAsync('p9/state', '{"state":"ON","power":12.5}');
    await live.next('state', (m) => m.id === 'plug9');
    await plug.publishAsync('homeassistant/sensor/plug9/power/config', JSON.stringify({ stat_t: 'p9/state', val_tpl: '{{ value_json.power }}', unit_of_meas: 'W', dev_cla: 'power', dev: device }), { qos: 1 });
    const power = await live.next('state', (m) => m.id === 'plug9' && m.state.power !== undefined);
    expect(power.state).toStrictEqual({ on: true, power: 12.5 });
    plug.end(true);
    live.close();
  });

  it('removes a stale device and clears its retained discovery from the broker', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    await mosquittoPub(hub.mqttUrl, 'homeassistant/switch/C45BBE_RL_1/config', JSON.stringify(tasmotaRelay), { retain: true });
    await live.next('device', (m) => m.device.id === 'c45bbe');
    const log = await getJson<{ messages: { direction: string; topic: string }[] }>(hub, `/api/devices/c45bbe/messages`);
    expect(log.messages).toMatchObject([{ direction: 'in', topic: 'homeassistant/switch/C45BBE_RL_1/config' }]);

    const removed = await hub.fetch(`${hub.httpUrl}/api/devices/c45bbe`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(await live.next('removed')).toMatchObject({ id: 'c45bbe' });
    // A client subscribing now finds no retained config to rediscover the device from.
    const observer = await connectMqtt(hub.mqttUrl);
    const retained: string[] = [];
    observer.on('message', (topic, payload, packet) => packet.retain && payload.length > 0 && retained.push(topic));
    await observer.subscribeAsync('homeassistant/#');
    // A second subscription as a barrier: its SUBACK follows the retained messages of the first.
    await observer.subscribeAsync('test/none/sync');
    expect(retained).toStrictEqual([]);
    expect((await getJson<Device[]>(hub, `/api/devices`)).map((d) => d.id)).toStrictEqual([]);
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/c45bbe`, { method: 'DELETE' })).status).toBe(404);
    observer.end(true);
    live.close();
  });

  it('listens on a configured discovery prefix only', async () => {
    const hub = await startHub({ discoveryPrefix: 'smarthome' });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const client = await connectMqtt(hub.mqttUrl);
    await client.publishAsync('homeassistant/switch/a/config', JSON.stringify({ cmd_t: 'a/set', dev: { ids: ['wrong'], name: 'Wrong' } }), { qos: 1 });
    await client.publishAsync('smarthome/switch/b/config', JSON.stringify({ cmd_t: 'b/set', dev: { ids: ['right'], name: 'Right' } }), { qos: 1 });
    expect((await live.next('device')).device.id).toBe('right');
    const devices = (await (await hub.fetch(`${hub.httpUrl}/api/devices`)).json()) as Device[];
    expect(devices.map((d) => d.id)).toStrictEqual(['right']);
    client.end(true);
    live.close();
  });
});

describe('devices that report nothing back', () => {
  afterEach(stopAllHubs);

  it('takes an optimistic switch at its word, rendering the command template', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const relay = await connectMqtt(hub.mqttUrl);
    await relay.subscribeAsync('rf/outlet3');
    // An RF outlet behind a gateway (OpenMQTTGateway style): no state topic, a templated command.
    const config = { name: 'Fan', cmd_t: 'rf/outlet3', pl_on: '1', pl_off: '0', cmd_tpl: '{"code":{{ value }}}', dev: { ids: ['outlet3'], name: 'Fan outlet' } };
    await relay.publishAsync('homeassistant/switch/outlet3/config', JSON.stringify(config), { qos: 1 });
    await live.next('availability', (m) => m.id === 'outlet3' && m.online);
    const sent = nextMessage(relay, 'rf/outlet3');
    const response = await hub.fetch(`${hub.httpUrl}/api/devices/outlet3/commands?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true}' });
    expect(response.status).toBe(200);
    expect(await sent).toBe('{"code":1}');
    expect((await live.next('state', (m) => m.id === 'outlet3')).state).toStrictEqual({ on: true });
    relay.end(true);
    live.close();
  });

  it('sends colour to a Zigbee bulb in xy and reads its xy state back as RGB', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const bulb = await connectMqtt(hub.mqttUrl);
    await bulb.subscribeAsync('zigbee2mqtt/desk/set');
    const config = { schema: 'json', stat_t: 'zigbee2mqtt/desk', cmd_t: 'zigbee2mqtt/desk/set', brightness: true, sup_clrm: ['xy', 'color_temp'], dev: { ids: ['0xdesk'], name: 'Desk' } };
    await bulb.publishAsync('homeassistant/light/0xdesk/light/config', JSON.stringify(config), { qos: 1 });
    const { device } = await live.next('device', (m) => m.device.id === '0xdesk');
    expect(device.capabilities.map((c) => c.type)).toStrictEqual(['switch', 'brightness', 'colorTemp', 'color']);
    const sent = nextMessage(bulb, 'zigbee2mqtt/desk/set');
    await hub.fetch(`${hub.httpUrl}/api/devices/0xdesk/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"color":{"r":255,"g":0,"b":0}}' });
    // Home Assistant's schema_json turns on with every attribute, and its color_util gives red as 0.701, 0.299.
    expect(JSON.parse(await sent)).toStrictEqual({ state: 'ON', color: { x: 0.701, y: 0.299 } });
    await bulb.publishAsync('zigbee2mqtt/desk', JSON.stringify({ state: 'ON', brightness: 254, color_mode: 'xy', color: { x: 0.701, y: 0.299 } }));
    const state = await live.next('state', (m) => m.id === '0xdesk');
    expect(state.state).toMatchObject({ on: true, colorMode: 'xy', color: { r: 255, g: 0, b: 0 } });
    bulb.end(true);
    live.close();
  });
});

describe('light effects', () => {
  afterEach(stopAllHubs);

  it('offers the effects a JSON light lists and sends the chosen one', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const bulb = await connectMqtt(hub.mqttUrl);
    await bulb.subscribeAsync('z2m/strip/set');
    const config = { schema: 'json', stat_t: 'z2m/strip', cmd_t: 'z2m/strip/set', fx: true, fx_list: ['blink', 'breathe', 'colorloop'], dev: { ids: ['strip'], name: 'Strip' } };
    await bulb.publishAsync('homeassistant/light/strip/light/config', JSON.stringify(config), { qos: 1 });
    const { device } = await live.next('device', (m) => m.device.id === 'strip');
    expect(device.capabilities).toContainEqual({ type: 'effect', property: 'effect', writable: true, options: ['blink', 'breathe', 'colorloop'] });

    const refused = await hub.fetch(`${hub.httpUrl}/api/devices/strip/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"effect":"disco"}' });
    expect(refused.status).toBe(400);
    const sent = nextMessage(bulb, 'z2m/strip/set');
    await hub.fetch(`${hub.httpUrl}/api/devices/strip/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"effect":"colorloop"}' });
    expect(JSON.parse(await sent)).toStrictEqual({ state: 'ON', effect: 'colorloop' });
    await bulb.publishAsync('z2m/strip', JSON.stringify({ state: 'ON', effect: 'colorloop' }));
    expect((await live.next('state', (m) => m.id === 'strip')).state).toStrictEqual({ on: true, effect: 'colorloop' });
    bulb.end(true);
    live.close();
  });
});

describe('readings that go stale', () => {
  afterEach(stopAllHubs);

  it('shows no value once a sensor is silent past expire_after, and the value again when it reports', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const sensor = await connectMqtt(hub.mqttUrl);
    const config = { name: 'Soil', stat_t: 'garden/soil', val_tpl: '{{ value_json.moisture }}', unit_of_meas: '%', exp_aft: 1, ent_cat: 'diagnostic', dev: { ids: ['soil1'], name: 'Soil sensor' } };
    await sensor.publishAsync('homeassistant/sensor/soil1/moisture/config', JSON.stringify(config), { qos: 1 });
    const { device } = await live.next('device', (m) => m.device.id === 'soil1');
    expect(device.capabilities[0]).toMatchObject({ property: 'moisture', category: 'diagnostic' });
    await sensor.publishAsync('garden/soil', '{"moisture":41}');
    await live.next('state', (m) => m.id === 'soil1' && m.state.moisture === 41);
    // The behaviour under test is the passing of time: the hub checks once a second.
    expect((await live.next('state', (m) => m.id === 'soil1' && m.state.moisture === null)).changed).toStrictEqual({ moisture: null });
    await sensor.publishAsync('garden/soil', '{"moisture":42}');
    await live.next('state', (m) => m.id === 'soil1' && m.state.moisture === 42);
    sensor.end(true);
    live.close();
  });
});
