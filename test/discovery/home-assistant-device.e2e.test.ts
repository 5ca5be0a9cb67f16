import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt, nextMessage } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

/**
 * Home Assistant's device-based discovery (2024.11): one retained message per device on
 * `homeassistant/device/<object_id>/config`, its entities under `cmps` with their platform
 * `p`, and options given once for all (home-assistant/core components/mqtt/discovery.py,
 * `_parse_device_payload` and `SHARED_OPTIONS`; tests/components/mqtt/test_discovery.py).
 * Shape of an ESPHome-style node; values ours.
 */
const TOPIC = 'homeassistant/device/porch-node/config';
const payload = (cmps: Record<string, object>) =>
  JSON.stringify({
    dev: { ids: 'a4cf12b3c4d5', name: 'Porch node', mf: 'espressif', mdl: 'esp32dev', sw: 'esphome 2024.11.0' },
    o: { name: 'esphome', sw: '2024.11.0', url: 'https://esphome.io' },
    stat_t: 'porch-node/state',
    avty_t: 'porch-node/status',
    qos: 1,
    cmps,
  });
const components = {
  relay: { p: 'switch', name: 'Relay', cmd_t: 'porch-node/relay/set', val_tpl: '{{ value_json.relay }}', uniq_id: 'porch_relay' },
  temperature: { p: 'sensor', name: 'Temperature', dev_cla: 'temperature', unit_of_meas: '°C', val_tpl: '{{ value_json.temperature }}', uniq_id: 'porch_t' },
  humidity: { p: 'sensor', name: 'Humidity', dev_cla: 'humidity', unit_of_meas: '%', val_tpl: '{{ value_json.humidity }}', uniq_id: 'porch_h' },
};

async function hubWithNode() {
  const hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  await mosquittoPub(hub.mqttUrl, TOPIC, payload(components), { retain: true });
  const { device } = await live.next('device', (m) => m.device.id === 'a4cf12b3c4d5');
  return { hub, live, device };
}

describe('Home Assistant device-based discovery', () => {
  it('makes one device of the components, with the options they share', async () => {
    const { hub, live, device } = await hubWithNode();
    expect(device).toMatchObject({ name: 'Porch node', kind: 'switch', manufacturer: 'espressif', model: 'esp32dev' });
    expect(device.capabilities.map((c) => c.property)).toStrictEqual(['on', 'temperature', 'humidity']);
    expect(device.source).toMatchObject({
      protocol: 'homeassistant',
      topics: { discovery: [`${TOPIC}#relay`, `${TOPIC}#temperature`, `${TOPIC}#humidity`], state: ['porch-node/state'], command: ['porch-node/relay/set'], availability: ['porch-node/status'] },
      problems: [],
    });

    await mosquittoPub(hub.mqttUrl, 'porch-node/status', 'online', { retain: true });
    await live.next('availability', (m) => m.id === device.id && m.online);
    await mosquittoPub(hub.mqttUrl, 'porch-node/state', '{"relay":"OFF","temperature":18.5,"humidity":61}');
    expect((await live.next('state', (m) => m.id === device.id)).state).toStrictEqual({ on: false, temperature: 18.5, humidity: 61 });

    const node = await connectMqtt(hub.mqttUrl);
    await node.subscribeAsync('porch-node/relay/set', { qos: 1 });
    const sent = nextMessage(node, 'porch-node/relay/set');
    const response = await hub.fetch(`${hub.httpUrl}/api/devices/${device.id}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true}' });
    expect(response.status).toBe(202);
    expect(await sent).toBe('ON');
    node.end(true);
    live.close();
  });

  it('withdraws a component reduced to its platform or left out, and the device with an empty payload', async () => {
    const { hub, live, device } = await hubWithNode();
    await mosquittoPub(hub.mqttUrl, TOPIC, payload({ relay: components.relay, temperature: { p: 'sensor' } }), { retain: true });
    const { device: fewer } = await live.next('device', (m) => m.device.id === device.id && m.device.capabilities.length === 1);
    expect(fewer.capabilities.map((c) => c.property)).toStrictEqual(['on']);
    await mosquittoPub(hub.mqttUrl, TOPIC, '', { retain: true });
    await live.next('removed', (m) => m.id === device.id);
    const devices = (await (await hub.fetch(`${hub.httpUrl}/api/devices`)).json()) as Device[];
    expect(devices.map((d) => d.id)).toStrictEqual([]);
    live.close();
  });

  it('shows a component it cannot use with the reason, and refuses a payload without components', async () => {
    const { hub, live, device } = await hubWithNode();
    // Refused first: the device message after it is read after it.
    await mosquittoPub(hub.mqttUrl, 'homeassistant/device/other/config', JSON.stringify({ dev: { ids: 'x' } }));
    await mosquittoPub(hub.mqttUrl, TOPIC, payload({ ...components, fan: { p: 'fan', cmd_t: 'porch-node/fan/set' } }), { retain: true });
    const { device: withFan } = await live.next('device', (m) => m.device.id === device.id && m.device.source.problems.length > 0);
    expect(withFan.source.problems).toStrictEqual([`${TOPIC}#fan: component 'fan' is not supported yet`]);
    const health = (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { bridge: { rejectedDiscovery: number } };
    expect(health.bridge.rejectedDiscovery).toBe(2);
    live.close();
  });

  it('rebuilds the device from the stored payload after a restart', async () => {
    const { hub, live, device } = await hubWithNode();
    live.close();
    const dataDir = hub.dataDir;
    await hub.close();
    const again = await startHub({ dataDir });
    const listed = (await (await again.fetch(`${again.httpUrl}/api/devices`)).json()) as Device[];
    expect(listed.find((d) => d.id === device.id)?.capabilities.map((c) => c.property)).toStrictEqual(['on', 'temperature', 'humidity']);
  });
});
