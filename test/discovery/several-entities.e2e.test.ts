import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { waitForEvent } from '../helpers/wait.js';

afterEach(stopAllHubs);

/**
 * One physical device, several entities, each controlled and reported on its own. Shapes:
 * an ESPHome node with two relays (ESPHome's components/mqtt/mqtt_switch.cpp announces one
 * `switch` config per relay, all with the node's `device.identifiers`), and a Zigbee2MQTT
 * two-gang wall switch as its Home Assistant extension announces it (test/extensions/
 * homeassistant.test.ts: `switch_left`/`switch_right` with `value_json.state_left`/`state_right`
 * and `command_topic_postfix` left/right).
 */
const esphomeRelay = (n: number) => ({
  name: `Relay ${n}`,
  stat_t: `node-2r/switch/relay_${n}/state`,
  cmd_t: `node-2r/switch/relay_${n}/command`,
  avty_t: 'node-2r/status',
  uniq_id: `ESPswitchrelay_${n}`,
  dev: { ids: '24a160aabbcc', name: 'node-2r', sw: 'esphome v2024.6.1', mdl: 'esp01_1m', mf: 'espressif' },
});

const z2mGang = (side: 'left' | 'right') => ({
  name: side === 'left' ? 'Left' : 'Right',
  object_id: `wall_switch_${side}`,
  unique_id: `0x00158d0004aabbcc_switch_${side}_zigbee2mqtt`,
  state_topic: 'zigbee2mqtt/wall_switch',
  command_topic: `zigbee2mqtt/wall_switch/${side}/set`,
  value_template: `{{ value_json.state_${side} }}`,
  payload_on: 'ON',
  payload_off: 'OFF',
  availability: [{ topic: 'zigbee2mqtt/bridge/state', value_template: '{{ value_json.state }}' }],
  device: { identifiers: ['zigbee2mqtt_0x00158d0004aabbcc'], name: 'wall_switch', model: 'Aqara double key wired wall switch (QBKG03LM)', manufacturer: 'Aqara' },
});

const command = (hub: TestHub, id: string, body: object) =>
  hub.fetch(`${hub.httpUrl}/api/devices/${id}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Every message an independent client sees on `filter` while `act` runs, until `count` have come. */
async function seen(hub: TestHub, filter: string, count: number, act: () => Promise<unknown>): Promise<string[]> {
  const client = await connectMqtt(hub.mqttUrl);
  await client.subscribeAsync(filter, { qos: 1 });
  const got: string[] = [];
  const done = waitForEvent<string[]>(
    (wake) => {
      const handler = (topic: string, payload: Buffer) => wake((got.push(`${topic} ${payload.toString()}`), got));
      client.on('message', handler);
      return () => client.off('message', handler);
    },
    (list) => list.length >= count,
    `${count} messages on ${filter}`,
  );
  await act();
  const result = await done;
  client.end(true);
  return result;
}

describe('a device with several entities', () => {
  it('keeps the two relays of an ESPHome node apart: state, commands, REST and history', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    for (const n of [1, 2]) await mosquittoPub(hub.mqttUrl, `homeassistant/switch/node-2r/relay_${n}/config`, JSON.stringify(esphomeRelay(n)), { retain: true });
    await mosquittoPub(hub.mqttUrl, 'node-2r/status', 'online', { retain: true });
    const { device } = await live.next('device', (m) => m.device.id === '24a160aabbcc' && m.device.capabilities.length === 2);
    expect(device.capabilities).toStrictEqual([
      { type: 'switch', property: 'on', writable: true, entity: { id: 'relay_1', name: 'Relay 1' } },
      { type: 'switch', property: 'on.relay_2', writable: true, entity: { id: 'relay_2', name: 'Relay 2' } },
    ]);
    expect(device.entities).toStrictEqual([
      { id: 'relay_1', name: 'Relay 1', properties: ['on'] },
      { id: 'relay_2', name: 'Relay 2', properties: ['on.relay_2'] },
    ]);
    await live.next('availability', (m) => m.id === device.id && m.online);

    await mosquittoPub(hub.mqttUrl, 'node-2r/switch/relay_2/state', 'ON');
    expect((await live.next('state', (m) => m.id === device.id)).state).toStrictEqual({ 'on.relay_2': true });
    await mosquittoPub(hub.mqttUrl, 'node-2r/switch/relay_1/state', 'OFF');
    expect((await live.next('state', (m) => m.id === device.id)).state).toStrictEqual({ 'on.relay_2': true, on: false });

    // A command to one relay goes to that relay only.
    const toSecond = await seen(hub, 'node-2r/switch/+/command', 1, async () => expect((await command(hub, device.id, { 'on.relay_2': false })).status).toBe(202));
    expect(toSecond).toStrictEqual(['node-2r/switch/relay_2/command OFF']);
    const toFirst = await seen(hub, 'node-2r/switch/+/command', 1, async () => expect((await command(hub, device.id, { on: true })).status).toBe(202));
    expect(toFirst).toStrictEqual(['node-2r/switch/relay_1/command ON']);

    const listed = (await (await hub.fetch(`${hub.httpUrl}/api/devices/${device.id}`)).json()) as Device;
    expect(listed.state).toStrictEqual({ on: false, 'on.relay_2': true });
    expect(listed.entities).toStrictEqual(device.entities);
    const history = (await (await hub.fetch(`${hub.httpUrl}/api/devices/${device.id}/history?resolution=raw&property=on.relay_2`)).json()) as { series: Record<string, [number, number][]> };
    expect(history.series['on.relay_2']!.map(([, v]) => v)).toStrictEqual([1]);
    live.close();
  });

  it("shows a Zigbee2MQTT two-gang switch's right gang as its own, not as the left one", async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    for (const side of ['left', 'right'] as const) {
      await mosquittoPub(hub.mqttUrl, `homeassistant/switch/0x00158d0004aabbcc/switch_${side}/config`, JSON.stringify(z2mGang(side)), { retain: true });
    }
    await mosquittoPub(hub.mqttUrl, 'zigbee2mqtt/bridge/state', '{"state":"online"}', { retain: true });
    const id = 'zigbee2mqtt_0x00158d0004aabbcc';
    const { device } = await live.next('device', (m) => m.device.id === id && m.device.capabilities.length === 2);
    expect(device.capabilities.map((c) => [c.property, c.entity?.name])).toStrictEqual([
      ['on', 'Left'],
      ['on.switch_right', 'Right'],
    ]);
    await mosquittoPub(hub.mqttUrl, 'zigbee2mqtt/wall_switch', '{"state_left":"OFF","state_right":"ON","linkquality":120}');
    expect((await live.next('state', (m) => m.id === id)).state).toStrictEqual({ on: false, 'on.switch_right': true });
    const sent = await seen(hub, 'zigbee2mqtt/wall_switch/+/set', 1, () => command(hub, id, { 'on.switch_right': false }));
    expect(sent).toStrictEqual(['zigbee2mqtt/wall_switch/right/set OFF']);
    live.close();
  });

  /**
   * A light with a power meter shares no property, yet is two entities: HA's device page lists
   * the light and its Power sensor apart (HA core tests/components/mqtt/test_discovery.py
   * announces several components of one device this way). The grouping is kept through a restart.
   */
  it('lists the entities of a light with a power meter by name, over REST and WebSocket, and after a restart', async () => {
    const hub = await startHub();
    const dev = { identifiers: ['plug-light-1'], name: 'Desk lamp' };
    await mosquittoPub(hub.mqttUrl, 'homeassistant/light/desk/light/config', JSON.stringify({ name: null, schema: 'json', brightness: true, state_topic: 'desk/state', command_topic: 'desk/set', device: dev }), { retain: true });
    await mosquittoPub(hub.mqttUrl, 'homeassistant/sensor/desk/power/config', JSON.stringify({ name: 'Power', device_class: 'power', unit_of_measurement: 'W', state_topic: 'desk/state', value_template: '{{ value_json.power }}', device: dev }), { retain: true });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const entities = [
      { id: 'light', name: 'Light', properties: ['on', 'brightness'] },
      { id: 'power', name: 'Power', properties: ['power'] },
    ];
    const snapshot = await live.next('snapshot', (m) => m.devices.some((d) => d.id === 'plug-light-1' && d.entities.length === 2));
    expect(snapshot.devices.find((d) => d.id === 'plug-light-1')!.entities).toStrictEqual(entities);
    const listed = (await (await hub.fetch(`${hub.httpUrl}/api/devices/plug-light-1`)).json()) as Device;
    expect(listed.entities).toStrictEqual(entities);
    // Capabilities stay as they were: no entity field where nothing is shared.
    expect(listed.capabilities.map((c) => [c.property, c.entity])).toStrictEqual([['on', undefined], ['brightness', undefined], ['power', undefined]]);
    live.close();

    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    const [stored] = (await (await again.fetch(`${again.httpUrl}/api/devices`)).json()) as Device[];
    expect(stored!.entities).toStrictEqual(entities);
  });
});
