/**
 * --broker mosquitto: the hub runs Debian's Mosquitto and gives it the device credentials
 * through the dynamic security plugin. Peers are real: Mosquitto 2.0, paho-mqtt as Home
 * Assistant uses it (MQTT 5), mosquitto_pub -V mqttv5, MQTT.js. Expected reason codes are
 * MQTT 5.0's (section 3.2.2.2 CONNACK, 3.9.3 SUBACK) as Mosquitto's dynamic security gives
 * them (mosquitto plugins/dynamic-security/README.md: a refused subscription is 0x87).
 */
import { execFile } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mosquittoInstalled } from '../../../bench/lib/mosquitto.js';
import { demoHomeSpecs } from '../../../devices/demo-home.js';
import { stopAllHubs } from '../../helpers/hub.js';
import { connectMqtt } from '../../helpers/mqtt.js';
import { killAllPaho, PahoClient, pahoInstalled } from '../../helpers/paho.js';
import { heard, issue, mosquittoHub } from './hub.js';

const ready = mosquittoInstalled() && pahoInstalled();
if (!ready && process.env.HEARTH_REQUIRE_MOSQUITTO === '1') throw new Error('mosquitto or python3-paho-mqtt missing (apt-get install -y mosquitto mosquitto-clients python3-paho-mqtt)');

afterEach(async () => {
  killAllPaho();
  await stopAllHubs();
});

const MQTT_SUCCESS = 0;
/** MQTT 5 "Not authorized": Mosquitto 2.0's dynamic security answers a wrong password with it too (not 0x86). */
const NOT_AUTHORIZED = 0x87;

describe.skipIf(!ready)('the hub running Mosquitto (--broker mosquitto)', () => {
  it('lets an MQTT 5 client (paho-mqtt) in with a device credential made over REST, and refuses a wrong password', async () => {
    const hub = await mosquittoHub();
    const plug = await issue(hub, 'Kitchen plug');
    const { client, reason } = await PahoClient.connect(hub.mqttUrl, plug.username, plug.password, 'kitchen-plug');
    expect(reason).toBe(MQTT_SUCCESS);
    const state = heard(hub, 'hearth/kitchen-plug/state');
    client.publish('hearth/kitchen-plug/state', '{"state":"ON"}');
    expect(await state).toBe('{"state":"ON"}');
    client.close();

    const wrong = await PahoClient.connect(hub.mqttUrl, plug.username, 'not-the-password', 'intruder');
    expect(wrong.reason).toBe(NOT_AUTHORIZED);
  });

  it('takes a message from mosquitto_pub -V mqttv5 with a device credential', async () => {
    const hub = await mosquittoHub();
    const sensor = await issue(hub, 'Porch sensor');
    const reading = heard(hub, 'hearth/porch-sensor/state');
    const { port } = new URL(hub.mqttUrl);
    await new Promise<void>((resolve, reject) =>
      execFile('/usr/bin/mosquitto_pub', ['-V', 'mqttv5', '-h', '127.0.0.1', '-p', port, '-u', sensor.username, '-P', sensor.password, '-q', '1', '-t', 'hearth/porch-sensor/state', '-m', '{"temperature":4.5}'], (error, _out, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(),
      ),
    );
    expect(await reading).toBe('{"temperature":4.5}');
  });

  it("shows a Home Assistant-like client subscribed to homeassistant/# every demo device's discovery", async () => {
    const hub = await mosquittoHub({ simulate: true });
    const homeAssistant = await issue(hub, 'Home Assistant', ['homeassistant/#', 'hearth/#']);
    const { client, reason } = await PahoClient.connect(hub.mqttUrl, homeAssistant.username, homeAssistant.password, 'home-assistant');
    expect(reason).toBe(MQTT_SUCCESS);
    expect(await client.subscribe('homeassistant/#')).toStrictEqual([1]);
    const expected = new Set(demoHomeSpecs().map((spec) => spec.id));
    const announced = new Set<string>();
    await client.next('message', (m) => {
      const id = /^homeassistant\/[^/]+\/([^/]+)\//.exec(m.topic)?.[1];
      if (id && m.retain && JSON.parse(m.payload).unique_id) announced.add(id);
      return [...expected].every((e) => announced.has(e));
    });
    expect(announced).toStrictEqual(expected);
    client.close();
  });

  it("refuses subscriptions and publishes outside a credential's topics", async () => {
    const hub = await mosquittoHub();
    const lamp = await issue(hub, 'Porch lamp');
    const { client } = await PahoClient.connect(hub.mqttUrl, lamp.username, lamp.password, 'porch-lamp');
    expect(await client.subscribe('#')).toStrictEqual([NOT_AUTHORIZED]);
    expect(await client.subscribe('hearth/other-lamp/set')).toStrictEqual([NOT_AUTHORIZED]);
    expect(await client.subscribe('$SYS/#')).toStrictEqual([NOT_AUTHORIZED]);
    expect(await client.subscribe('hearth/porch-lamp/set')).toStrictEqual([1]);
    expect(await client.subscribe('homeassistant/status')).toStrictEqual([1]);

    const messages: string[] = [];
    hub.app.mqtt.onMessage((m) => messages.push(m.topic));
    const own = heard(hub, 'hearth/porch-lamp/state');
    // In order on one connection: once the second arrives, the first would have too.
    client.publish('hearth/other-lamp/state', '{"state":"ON"}');
    client.publish('hearth/porch-lamp/state', '{"state":"ON"}');
    await own;
    expect(messages).toStrictEqual(['hearth/porch-lamp/state']);
    client.close();
  });

  it('disconnects a revoked credential at once and refuses it afterwards', async () => {
    const hub = await mosquittoHub();
    const lamp = await issue(hub, 'Garden lamp');
    const { client } = await PahoClient.connect(hub.mqttUrl, lamp.username, lamp.password, 'garden-lamp');
    const response = await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials/garden-lamp`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    await client.next('disconnected');
    const again = await PahoClient.connect(hub.mqttUrl, lamp.username, lamp.password, 'garden-lamp');
    expect(again.reason).not.toBe(MQTT_SUCCESS);
  });

  it('carries MQTT over WebSocket at /mqtt on the HTTP port to Mosquitto', async () => {
    const hub = await mosquittoHub();
    const panel = await issue(hub, 'Wall panel');
    const client = await connectMqtt(`${hub.httpUrl.replace('http', 'ws')}/mqtt`, { protocolVersion: 5, username: panel.username, password: panel.password });
    const state = heard(hub, 'hearth/wall-panel/state');
    await client.publishAsync('hearth/wall-panel/state', '{"state":"OFF"}', { qos: 1 });
    expect(await state).toBe('{"state":"OFF"}');
    await client.endAsync();
  });
});
