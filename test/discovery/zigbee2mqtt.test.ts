import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type StartOptions, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { hubWithClient } from './hub-and-client.js';
import { bulb, deviceList, door, plug } from './zigbee2mqtt-fixtures.js';

afterEach(stopAllHubs);

const postCommand = (hub: TestHub, id: string, body: object) =>
  fetch(`${hub.httpUrl}/api/devices/${id}/commands`, { method: 'POST', headers: { ...hub.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const getJson = async <T>(hub: TestHub, path: string) => (await (await fetch(`${hub.httpUrl}${path}`, { headers: hub.headers })).json()) as T;

const PLUG = 'zigbee2mqtt_0x00158d00018255df';
const BULB = 'zigbee2mqtt_0x000b57fffec6a5b2';
const DOOR = 'zigbee2mqtt_0x00158d000aaaaaaa';

async function hubWithBridge(publisher: 'mqtt.js' | 'mosquitto_pub' = 'mqtt.js', options: StartOptions = {}, base = 'zigbee2mqtt') {
  // Zigbee2MQTT's last will is `offline` on bridge/state; 2.x sends it as JSON.
  const { hub, live, client: z2m } = await hubWithClient(options, { will: { topic: `${base}/bridge/state`, payload: Buffer.from('{"state":"offline"}'), retain: true, qos: 1 } });
  if (publisher === 'mqtt.js') await z2m.publishAsync(`${base}/bridge/devices`, JSON.stringify(deviceList), { retain: true, qos: 1 });
  else await mosquittoPub(hub.mqttUrl, `${base}/bridge/devices`, JSON.stringify(deviceList), { retain: true });
  await z2m.publishAsync(`${base}/bridge/state`, '{"state":"online"}', { retain: true, qos: 1 });
  return { hub, live, z2m };
}

const waitForDevices = async (live: LiveClient, count: number) => {
  const ids = new Set<string>();
  while (ids.size < count) ids.add((await live.next('device')).device.id);
};

describe("Zigbee2MQTT's bridge/devices list", () => {
  it.each(['mqtt.js', 'mosquitto_pub'] as const)('makes each listed device a hub device with its exposes, skipping the coordinator (published with %s)', async (publisher) => {
    const { hub, live, z2m } = await hubWithBridge(publisher);
    await waitForDevices(live, 5);
    const devices = await getJson<Device[]>(hub, '/api/devices');
    expect(devices.map((d) => [d.id, d.name, d.kind, d.manufacturer, d.model]).sort()).toStrictEqual([
      [BULB, 'kitchen/bulb', 'light', 'IKEA', 'LED1545G12'],
      [PLUG, 'my_plug', 'switch', 'Xiaomi', 'ZNCZ02LM'],
      ['zigbee2mqtt_0x00158d0001a2b3c4', 'bedroom_sensor', 'sensor', 'Aqara', 'WSDCGQ11LM'],
      [DOOR, 'front_door', 'sensor', 'Aqara', 'MCCGQ11LM'],
      ['zigbee2mqtt_0x0017880104e45517', 'hall_bulb', 'light', 'Philips', '9290022166'],
    ]);
    const byId = new Map(devices.map((d) => [d.id, d]));
    expect(byId.get(BULB)!.capabilities).toStrictEqual([
      { type: 'switch', property: 'on', writable: true },
      { type: 'brightness', property: 'brightness', writable: true, min: 0, max: 255 },
      { type: 'colorTemp', property: 'colorTemp', writable: true, min: 250, max: 454, unit: 'mired' },
      { type: 'sensor', property: 'linkquality', writable: false, label: 'Linkquality', unit: 'lqi', deviceClass: 'signal_strength', category: 'diagnostic' },
    ]);
    expect(byId.get(PLUG)!.capabilities.map((c) => c.property)).toStrictEqual(['on', 'power', 'energy', 'device_temperature', 'linkquality', 'power_outage_memory']);
    expect(byId.get(DOOR)!.capabilities.map((c) => [c.type, c.property])).toStrictEqual([['sensor', 'battery'], ['sensor', 'voltage'], ['sensor', 'linkquality'], ['binarySensor', 'open']]);
    expect(byId.get(BULB)!.source).toMatchObject({
      protocol: 'zigbee2mqtt',
      topics: { state: ['zigbee2mqtt/kitchen/bulb'], command: ['zigbee2mqtt/kitchen/bulb/set'], availability: ['zigbee2mqtt/bridge/state', 'zigbee2mqtt/kitchen/bulb/availability'] },
    });
    z2m.end(true);
    live.close();
  });

  it('sends a command as the JSON Zigbee2MQTT expects, on <name>/set, never retained', async () => {
    const { hub, live, z2m } = await hubWithBridge();
    await live.next('availability', (m) => m.id === BULB && m.online);
    await z2m.subscribeAsync('zigbee2mqtt/kitchen/bulb/set');
    const sent = new Promise<{ payload: string; retain: boolean }>((resolve) => z2m.on('message', (topic, payload, packet) => topic === 'zigbee2mqtt/kitchen/bulb/set' && resolve({ payload: payload.toString(), retain: packet.retain })));
    expect((await postCommand(hub, BULB, { on: true, brightness: 255, colorTemp: 300 })).status).toBe(202);
    const { payload, retain } = await sent;
    // The hub's 0-255 brightness in the bulb's announced 0-254.
    expect(JSON.parse(payload)).toStrictEqual({ state: 'ON', brightness: 254, color_temp: 300 });
    expect(retain).toBe(false);
    z2m.end(true);
    live.close();
  });

  it('reads state from <name>, a closed contact as a shut door, and tells WebSocket clients', async () => {
    const { live, z2m } = await hubWithBridge();
    await waitForDevices(live, 5);
    await z2m.publishAsync('zigbee2mqtt/kitchen/bulb', JSON.stringify({ state: 'ON', brightness: 127, color_temp: 370, color_mode: 'color_temp', linkquality: 120 }));
    expect((await live.next('state', (m) => m.id === BULB)).state).toStrictEqual({ on: true, brightness: 128, colorTemp: 370, linkquality: 120 });
    await z2m.publishAsync('zigbee2mqtt/front_door', JSON.stringify({ contact: true, battery: 100, voltage: 3055, linkquality: 90 }));
    expect((await live.next('state', (m) => m.id === DOOR)).state).toStrictEqual({ open: false, battery: 100, voltage: 3055, linkquality: 90 });
    await z2m.publishAsync('zigbee2mqtt/front_door', JSON.stringify({ contact: false }));
    expect((await live.next('state', (m) => m.id === DOOR)).state).toMatchObject({ open: true, battery: 100 });
    z2m.end(true);
    live.close();
  });

  it('follows availability in both its forms, and the bridge going away', async () => {
    const { hub, live, z2m } = await hubWithBridge();
    await live.next('availability', (m) => m.id === PLUG && m.online);
    await z2m.publishAsync('zigbee2mqtt/my_plug/availability', 'offline', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === PLUG && !m.online);
    await z2m.publishAsync('zigbee2mqtt/my_plug/availability', '{"state":"online"}', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === PLUG && m.online);
    z2m.stream.destroy(); // the bridge dies: its last will takes every device offline
    await live.next('availability', (m) => m.id === PLUG && !m.online);
    expect((await getJson<Device>(hub, `/api/devices/${BULB}`)).online).toBe(false);
    live.close();
  });

  it('shows a device Zigbee2MQTT also announces with Home Assistant discovery once, from its own list', async () => {
    const { hub, live, client: z2m } = await hubWithClient();
    // As Zigbee2MQTT's Home Assistant extension publishes it for the plug.
    const haConfig = (object: string) => ({
      name: null,
      object_id: `my_plug_${object}`,
      unique_id: `0x00158d00018255df_${object}_zigbee2mqtt`,
      state_topic: 'zigbee2mqtt/my_plug',
      command_topic: 'zigbee2mqtt/my_plug/set',
      value_template: '{{ value_json.state }}',
      availability: [{ topic: 'zigbee2mqtt/bridge/state', value_template: '{{ value_json.state }}' }],
      device: { identifiers: ['zigbee2mqtt_0x00158d00018255df'], name: 'my_plug', model: 'Mi power plug ZigBee (ZNCZ02LM)', manufacturer: 'Xiaomi', via_device: 'zigbee2mqtt_bridge_0x00124b00120144ae' },
    });
    await z2m.publishAsync('homeassistant/switch/0x00158d00018255df/switch/config', JSON.stringify(haConfig('switch')), { retain: true, qos: 1 });
    expect((await live.next('device', (m) => m.device.id === PLUG)).device.source.protocol).toBe('homeassistant');
    await z2m.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify([plug]), { retain: true, qos: 1 });
    await live.next('device', (m) => m.device.id === PLUG && m.device.source.protocol === 'zigbee2mqtt');
    // Announced again after the list (Zigbee2MQTT does so when Home Assistant restarts): still one device.
    await z2m.publishAsync('homeassistant/switch/0x00158d00018255df/switch2/config', JSON.stringify(haConfig('switch2')), { retain: true, qos: 1 });
    await z2m.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify([plug, bulb]), { retain: true, qos: 1 });
    await live.next('device', (m) => m.device.id === BULB);
    const devices = await getJson<Device[]>(hub, '/api/devices');
    expect(devices.map((d) => [d.id, d.source.protocol, d.source.topics.discovery]).sort()).toStrictEqual([
      [BULB, 'zigbee2mqtt', ['zigbee2mqtt/bridge/devices#0x000b57fffec6a5b2']],
      [PLUG, 'zigbee2mqtt', ['zigbee2mqtt/bridge/devices#0x00158d00018255df']],
    ]);
    z2m.end(true);
    live.close();
  });

  it('reads the list under the base topic it is given', async () => {
    const { live, z2m } = await hubWithBridge('mqtt.js', { zigbee2mqttBaseTopic: 'home/zigbee' }, 'home/zigbee');
    const { device } = await live.next('device', (m) => m.device.id === BULB);
    expect(device.source.topics.command).toStrictEqual(['home/zigbee/kitchen/bulb/set']);
    z2m.end(true);
    live.close();
  });

  it.each([
    ['a list that is not JSON', '[{"ieee_address":'],
    ['a list that is not an array', JSON.stringify({ devices: deviceList })],
    ['an entry with a bad address', JSON.stringify([{ ...door, ieee_address: 'front' }, plug])],
  ])('refuses %s with a reason and keeps serving', async (_name, payload) => {
    const hub = await startHub();
    const z2m = await connectMqtt(hub.mqttUrl);
    await z2m.publishAsync('zigbee2mqtt/bridge/devices', payload, { qos: 1 });
    await z2m.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify([plug]), { qos: 1 });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    const ids = snapshot.devices.length ? snapshot.devices.map((d) => d.id) : [(await live.next('device')).device.id];
    expect(ids).toStrictEqual([PLUG]);
    expect(await getJson(hub, '/api/health')).toMatchObject({ status: 'ok', bridge: { rejectedDiscovery: 1 } });
    z2m.end(true);
    live.close();
  });

  it('refuses a state of the wrong type as a bad payload and keeps the rest', async () => {
    const { hub, live, z2m } = await hubWithBridge();
    await waitForDevices(live, 5);
    await z2m.publishAsync('zigbee2mqtt/my_plug', JSON.stringify({ state: 'MAYBE' }));
    await z2m.publishAsync('zigbee2mqtt/my_plug', JSON.stringify({ state: 'ON', power: 5.2 }));
    expect((await live.next('state', (m) => m.id === PLUG)).state).toMatchObject({ on: true, power: 5.2 });
    expect(await getJson(hub, '/api/health')).toMatchObject({ bridge: { rejectedPayloads: 1 } });
    z2m.end(true);
    live.close();
  });
});
