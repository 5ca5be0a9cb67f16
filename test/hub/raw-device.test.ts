import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { announceSwitch, connectMqtt, nextMessage } from '../helpers/mqtt.js';

/**
 * A device that is not ours: a plain MQTT client speaking Zigbee2MQTT's topic layout and
 * Home Assistant discovery (abbreviated keys, `~` base topic, as Tasmota and ESPHome send).
 */
const bulbDiscovery = {
  '~': 'zigbee2mqtt/hall_bulb',
  name: null,
  uniq_id: '0x0017880104e45517_light',
  schema: 'json',
  stat_t: '~',
  cmd_t: '~/set',
  avty_t: 'zigbee2mqtt/bridge/state',
  brightness: true,
  brightness_scale: 254,
  sup_clrm: ['color_temp', 'xy'],
  min_mirs: 150,
  max_mirs: 500,
  dev: { ids: ['zigbee2mqtt_0x0017880104e45517'], name: 'Hall bulb', mf: 'Philips', mdl: 'Hue White Ambiance' },
};

describe('a third-party device announced with Home Assistant discovery', () => {
  afterEach(stopAllHubs);

  it('appears on the dashboard stream, takes a command over MQTT and shows the confirmed state', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const bulb = await connectMqtt(hub.mqttUrl, { will: { topic: 'zigbee2mqtt/bridge/state', payload: Buffer.from('offline'), qos: 1, retain: true } });
    await bulb.subscribeAsync('zigbee2mqtt/hall_bulb/set');
    await bulb.publishAsync('homeassistant/light/0x0017880104e45517/light/config', JSON.stringify(bulbDiscovery), { retain: true, qos: 1 });
    await bulb.publishAsync('zigbee2mqtt/bridge/state', 'online', { retain: true, qos: 1 });

    const { device } = await live.next('device', (m) => m.device.id === 'zigbee2mqtt_0x0017880104e45517');
    expect(device).toMatchObject({
      name: 'Hall bulb',
      kind: 'light',
      manufacturer: 'Philips',
      capabilities: [
        { type: 'switch', property: 'on', writable: true },
        { type: 'brightness', property: 'brightness', min: 0, max: 255, writable: true },
        { type: 'colorTemp', property: 'colorTemp', min: 150, max: 500, unit: 'mired', writable: true },
        // The bulb takes xy colour; the hub offers RGB and converts.
        { type: 'color', property: 'color', writable: true },
      ],
    });
    await live.next('availability', (m) => m.id === device.id && m.online);

    const received = nextMessage(bulb, 'zigbee2mqtt/hall_bulb/set');
    live.send({ type: 'command', ref: 'c1', id: device.id, command: { on: true, brightness: 255 } });
    await live.next('ack', (m) => m.ref === 'c1');
    // The hub speaks 0-255 and converts to the bulb's announced 0-254 scale.
    expect(JSON.parse(await received)).toStrictEqual({ state: 'ON', brightness: 254 });

    await bulb.publishAsync('zigbee2mqtt/hall_bulb', JSON.stringify({ state: 'ON', brightness: 254, color_mode: 'color_temp', color_temp: 370, linkquality: 120 }));
    const state = await live.next('state', (m) => m.id === device.id);
    expect(state).toStrictEqual({
      type: 'state',
      seq: expect.any(Number),
      id: device.id,
      state: { on: true, brightness: 255, colorTemp: 370, colorMode: 'color_temp' },
      changed: { on: true, brightness: 255, colorTemp: 370, colorMode: 'color_temp' },
      lastSeen: expect.any(Number),
    });
    bulb.end(true);
    live.close();
  });

  it('keeps a state that overtook its discovery message and applies it once the device is announced', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const plug = await connectMqtt(hub.mqttUrl);
    // MQTT orders messages per topic only: the state may arrive first.
    await plug.publishAsync('plain/early/state', 'ON');
    await announceSwitch(plug, 'early');
    const state = await live.next('state', (m) => m.id === 'early');
    expect(state.state).toStrictEqual({ on: true });
    plug.end(true);
    live.close();
  });
});
