import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCommand } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { waitForEvent } from '../helpers/wait.js';

/**
 * Exact commands, ported from Home Assistant core's own tests: each case announces the
 * config an upstream test sets up (published with mosquitto_pub), sends the hub command
 * that matches the upstream service call, and checks what an independent MQTT client
 * receives against what the upstream test asserts (topic, payload, QoS, order). JSON
 * payloads compare as JSON, as upstream's JsonValidator does.
 */
type Expected = [topic: string, payload: string | object, qos?: 0 | 1 | 2];
interface Case {
  /** The upstream test, in home-assistant/core tests/components/mqtt/. */
  source: string;
  component?: string;
  config: (t: string) => object;
  steps: [DeviceCommand, Expected[]][];
}

const json = (t: string, extra: object) => ({ schema: 'json', name: 'test', command_topic: `${t}/set`, ...extra });

const cases: Case[] = [
  {
    source: 'test_light_json.py test_sending_rgb_color_no_brightness',
    config: (t) => json(t, { supported_color_modes: ['rgb'] }),
    steps: [
      [{ color: { r: 255, g: 128, b: 0 }, brightness: 255 }, [['set', { state: 'ON', color: { r: 255, g: 128, b: 0 } }]]],
      // The same rule at half brightness: folded into the channels, no brightness key.
      [{ color: { r: 255, g: 128, b: 0 }, brightness: 128 }, [['set', { state: 'ON', color: { r: 128, g: 64, b: 0 } }]]],
    ],
  },
  {
    source: 'test_light_json.py test_sending_rgb_color_with_brightness',
    config: (t) => json(t, { supported_color_modes: ['rgb'], brightness: true }),
    steps: [
      [{ brightness: 1 }, [['set', { state: 'ON', brightness: 1 }]]],
      [{ color: { r: 255, g: 128, b: 0 } }, [['set', { state: 'ON', color: { r: 255, g: 128, b: 0 } }]]],
    ],
  },
  {
    source: 'test_light_json.py test_sending_rgb_color_with_scaled_brightness (brightness 1 on 0-100 stays 1)',
    config: (t) => json(t, { supported_color_modes: ['rgb'], brightness: true, brightness_scale: 100 }),
    steps: [
      [{ brightness: 1 }, [['set', { state: 'ON', brightness: 1 }]]],
      [{ brightness: 50 }, [['set', { state: 'ON', brightness: 20 }]]],
    ],
  },
  {
    source: 'test_light_json.py test_sending_hs_color',
    config: (t) => json(t, { supported_color_modes: ['hs'] }),
    steps: [[{ color: { r: 255, g: 128, b: 0 } }, [['set', { state: 'ON', color: { h: 30.118, s: 100 } }]]]],
  },
  {
    source: 'test_light_json.py test_sending_xy_color',
    config: (t) => json(t, { supported_color_modes: ['xy'] }),
    steps: [[{ color: { r: 255, g: 128, b: 0 } }, [['set', { state: 'ON', color: { x: 0.611, y: 0.375 } }]]]],
  },
  {
    source: 'test_light_json.py test_effect (effect: true, no effect_list)',
    config: (t) => json(t, { effect: true, qos: 0 }),
    steps: [
      [{ on: true }, [['set', { state: 'ON' }]]],
      [{ effect: 'rainbow' }, [['set', { state: 'ON', effect: 'rainbow' }]]],
    ],
  },
  {
    source: 'test_light_json.py test_sending_mqtt_commands_and_optimistic (qos 2, here given as the string "2")',
    config: (t) => json(t, { brightness: true, supported_color_modes: ['color_temp', 'hs'], qos: '2' }),
    steps: [
      [{ on: true }, [['set', { state: 'ON' }, 2]]],
      [{ on: false }, [['set', { state: 'OFF' }, 2]]],
      // 90 mireds is outside 153-500 and still sent, as Home Assistant sends it.
      [{ colorTemp: 90 }, [['set', { state: 'ON', color_temp: 90 }, 2]]],
    ],
  },
  {
    source: 'color_util test_color_rgb_to_rgbw through test_light_json.py test_sending_rgb_color_no_brightness2',
    config: (t) => json(t, { supported_color_modes: ['rgbw'] }),
    steps: [[{ color: { r: 255, g: 127, b: 127 } }, [['set', { state: 'ON', color: { r: 255, g: 0, b: 0, w: 253 } }]]]],
  },
  {
    source: 'color_util test_color_rgb_to_rgbww through test_light_json.py test_sending_rgb_color_no_brightness2',
    config: (t) => json(t, { supported_color_modes: ['rgbww'], min_kelvin: 2702, max_kelvin: 6493 }),
    steps: [[{ color: { r: 255, g: 255, b: 255 } }, [['set', { state: 'ON', color: { r: 0, g: 54, b: 98, c: 255, w: 255 } }]]]],
  },
  {
    source: 'test_light.py test_on_command_first',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, brightness_command_topic: `${t}/bright`, on_command_type: 'first' }),
    steps: [
      [{ brightness: 50 }, [['set', 'ON'], ['bright', '50']]],
      [{ on: false }, [['set', 'OFF']]],
    ],
  },
  {
    source: 'test_light.py test_on_command_last',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, brightness_command_topic: `${t}/bright` }),
    steps: [
      [{ brightness: 50 }, [['bright', '50'], ['set', 'ON']]],
      [{ on: false }, [['set', 'OFF']]],
    ],
  },
  {
    source: 'test_light.py test_on_command_brightness_scaled',
    config: (t) => ({
      name: 'test', command_topic: `${t}/set`, brightness_command_topic: `${t}/bright`, brightness_scale: 100,
      rgb_command_topic: `${t}/rgb`, on_command_type: 'brightness',
    }),
    steps: [
      [{ on: true }, [['bright', '100']]],
      [{ on: false }, [['set', 'OFF']]],
      [{ brightness: 50 }, [['bright', '20']]],
      [{ brightness: 255 }, [['bright', '100']]],
      [{ brightness: 1 }, [['bright', '1']]],
      [{ on: false }, [['set', 'OFF']]],
      [{ color: { r: 255, g: 128, b: 0 } }, [['rgb', '255,128,0'], ['bright', '1']]],
    ],
  },
  {
    source: 'test_light.py test_on_command_rgb',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, rgb_command_topic: `${t}/rgb` }),
    steps: [
      [{ brightness: 127 }, [['rgb', '127,127,127'], ['set', 'ON']]],
      [{ brightness: 255 }, [['rgb', '255,255,255'], ['set', 'ON']]],
      [{ brightness: 1 }, [['rgb', '1,1,1'], ['set', 'ON']]],
      [{ on: false }, [['set', 'OFF']]],
      [{ color: { r: 255, g: 128, b: 0 } }, [['rgb', '1,0,0'], ['set', 'ON']]],
      [{ brightness: 255 }, [['rgb', '255,128,0'], ['set', 'ON']]],
    ],
  },
  {
    source: 'test_light.py test_on_command_rgbw',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, rgbw_command_topic: `${t}/rgbw` }),
    steps: [[{ brightness: 127 }, [['rgbw', '127,127,127,127'], ['set', 'ON']]]],
  },
  {
    source: 'test_light.py test_on_command_rgb_template',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, rgb_command_topic: `${t}/rgb`, rgb_command_template: '{{ red }}/{{ green }}/{{ blue }}' }),
    steps: [[{ brightness: 127 }, [['rgb', '127/127/127'], ['set', 'ON']]]],
  },
  {
    source: 'test_light.py test_sending_mqtt_commands_and_optimistic (hs, xy, colour temperature and effect topics, qos 2)',
    config: (t) => ({
      name: 'test', command_topic: `${t}/set`, hs_command_topic: `${t}/hs`, color_temp_command_topic: `${t}/ct`,
      effect_command_topic: `${t}/fx`, effect_list: ['colorloop', 'random'], qos: 2,
    }),
    steps: [
      [{ color: { r: 255, g: 128, b: 0 } }, [['hs', '30.118,100.0', 2], ['set', 'ON', 2]]],
      [{ colorTemp: 125 }, [['ct', '125', 2], ['set', 'ON', 2]]],
      [{ effect: 'colorloop' }, [['fx', 'colorloop', 2], ['set', 'ON', 2]]],
    ],
  },
  {
    source: 'test_light.py test_sending_mqtt_xy_command_with_template',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, xy_command_topic: `${t}/xy`, xy_command_template: '{"Color": "{{ x }},{{ y }}"}' }),
    steps: [[{ color: { r: 255, g: 128, b: 0 } }, [['xy', '{"Color": "0.611,0.375"}'], ['set', 'ON']]]],
  },
  {
    source: 'test_light_template.py test_sending_mqtt_commands_and_optimistic',
    config: (t) => ({
      schema: 'template', name: 'test', command_topic: `${t}/set`, effect_list: ['colorloop', 'random'], qos: 2,
      command_on_template: 'on,{{ brightness|d }},{{ color_temp|d }},{{ red|d }}-{{ green|d }}-{{ blue|d }},{{ hue|d }}-{{ sat|d }}',
      command_off_template: 'off',
      // Upstream reads state with value.split(","), outside the hub's template subset; these
      // declare the same features (colour temperature, colour) and are never evaluated here.
      color_temp_template: '{{ value_json.ct }}', red_template: '{{ value_json.r }}', green_template: '{{ value_json.g }}', blue_template: '{{ value_json.b }}',
    }),
    steps: [
      [{ on: false }, [['set', 'off', 2]]],
      [{ on: true }, [['set', 'on,,,--,-', 2]]],
      [{ colorTemp: 70 }, [['set', 'on,,70,--,-', 2]]],
      [{ brightness: 255 }, [['set', 'on,255,,--,-', 2]]],
      [{ color: { r: 255, g: 128, b: 0 } }, [['set', 'on,,,255-128-0,30.118-100.0', 2]]],
      [{ color: { r: 128, g: 64, b: 0 } }, [['set', 'on,,,255-127-0,30.0-100.0', 2]]],
      [{ brightness: 128 }, [['set', 'on,128,,--,-', 2]]],
      [{ color: { r: 0, g: 255, b: 128 } }, [['set', 'on,,,0-128-64,150.118-100.0', 2]]],
    ],
  },
  {
    source: 'test_light_template.py test_effect',
    config: (t) => ({
      schema: 'template', name: 'test', command_topic: `${t}/set`, effect_list: ['rainbow', 'colorloop'],
      command_on_template: 'on,{{ effect }}', command_off_template: 'off', qos: 0,
    }),
    steps: [
      [{ on: true }, [['set', 'on,']]],
      [{ effect: 'rainbow' }, [['set', 'on,rainbow']]],
    ],
  },
  {
    source: 'test_switch.py test_sending_mqtt_commands_and_optimistic (qos 2)',
    component: 'switch',
    config: (t) => ({ name: 'test', command_topic: `${t}/set`, payload_on: 'beer on', payload_off: 'beer off', qos: '2' }),
    steps: [
      [{ on: true }, [['set', 'beer on', 2]]],
      [{ on: false }, [['set', 'beer off', 2]]],
    ],
  },
];

let hub: TestHub;
let live: LiveClient;
let listener: MqttClient;

beforeAll(async () => {
  hub = await startHub();
  live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  listener = await connectMqtt(hub.mqttUrl);
});
afterAll(async () => {
  listener.end(true);
  live.close();
  await stopAllHubs();
});

/** The next `count` messages the independent listener receives under `prefix/`. */
function received(prefix: string, count: number): Promise<Expected[]> {
  const got: Expected[] = [];
  return waitForEvent<Expected[]>(
    (wake) => {
      const handler = (topic: string, payload: Buffer, packet: { qos: 0 | 1 | 2 }) => {
        if (!topic.startsWith(`${prefix}/`)) return;
        got.push([topic.slice(prefix.length + 1), payload.toString(), packet.qos]);
        wake(got);
      };
      listener.on('message', handler);
      return () => listener.off('message', handler);
    },
    (list) => list.length >= count,
    `${count} command messages under ${prefix}/`,
  );
}

const asComparable = ([topic, payload, qos]: Expected): Expected => [topic, typeof payload === 'string' ? payload : JSON.stringify(payload), qos ?? 0];
const parsedIfJson = ([topic, payload, qos]: Expected, expected: Expected): Expected =>
  typeof expected[1] === 'string' ? [topic, payload, qos] : [topic, JSON.stringify(JSON.parse(payload as string)), qos];

describe('commands as Home Assistant sends them', () => {
  it.each(cases.map((c, i) => [c.source, c, i] as const))('%s', async (_source, c, i) => {
    const t = `ha-cmd-${i}`;
    await listener.subscribeAsync(`${t}/#`, { qos: 2 });
    const config = { ...c.config(t), unique_id: t, device: { identifiers: [t], name: t } };
    await mosquittoPub(hub.mqttUrl, `homeassistant/${c.component ?? 'light'}/${t}/config`, JSON.stringify(config), { retain: true });
    const { device } = await live.next('device', (m) => m.device.id === t);
    expect(device.source.problems).toStrictEqual([]);
    for (const [command, expected] of c.steps) {
      const messages = received(t, expected.length);
      const response = await hub.fetch(`${hub.httpUrl}/api/devices/${t}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command) });
      expect(response.status, await response.clone().text()).toBe(202);
      const got = await messages;
      expect(got.map((m, k) => parsedIfJson(m, expected[k] ?? m)), JSON.stringify(command)).toStrictEqual(expected.map(asComparable));
    }
  });
});

describe('state as Home Assistant reads it', () => {
  it('keeps the colour of a Zigbee2MQTT state whose "state" is null (test_light_json.py test_controlling_state_via_topic)', async () => {
    const t = 'ha-state-null';
    const config = { schema: 'json', name: null, state_topic: `${t}/state`, command_topic: `${t}/set`, brightness: true, supported_color_modes: ['xy'], device: { identifiers: [t], name: t } };
    await mosquittoPub(hub.mqttUrl, `homeassistant/light/${t}/light/config`, JSON.stringify(config), { retain: true });
    await live.next('device', (m) => m.device.id === t);
    await mosquittoPub(hub.mqttUrl, `${t}/state`, JSON.stringify({ state: null, brightness: 254, color_mode: 'xy', color: { x: 0.701, y: 0.299 } }));
    const { state } = await live.next('state', (m) => m.id === t);
    expect(state).toStrictEqual({ on: null, brightness: 254, colorMode: 'xy', color: { r: 255, g: 0, b: 0 } });
  });
});
