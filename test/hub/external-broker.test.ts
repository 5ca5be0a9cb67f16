import { afterEach, describe, expect, it } from 'vitest';
import { mosquittoInstalled, startMosquitto, type RunningBroker } from '../../bench/lib/mosquitto.js';
import { loadConfig } from '../../hub/config.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { announceMeter, connectMqtt, nextMessage, obedientSwitch } from '../helpers/mqtt.js';
import { LogTap } from '../helpers/log-tap.js';
import type { MqttMessage } from '../../hub/plugins/broker.js';
import { waitForEvent } from '../helpers/wait.js';

const installed = mosquittoInstalled();
if (!installed && process.env.HEARTH_REQUIRE_MOSQUITTO === '1') throw new Error('mosquitto not found (apt-get install -y mosquitto)');

const brokers: RunningBroker[] = [];
afterEach(async () => {
  await stopAllHubs();
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

async function mosquitto(options?: Parameters<typeof startMosquitto>[0]): Promise<RunningBroker> {
  const broker = await startMosquitto(options);
  brokers.push(broker);
  return broker;
}

const hubOn = (url: string, logs?: LogTap) => startHub({ config: { mqttUrl: url }, ...(logs ? { logs } : {}) });

type Health = { mqtt: { externalBroker: { url: string; connected: boolean } | null } };
const health = async (hub: TestHub) => (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as Health;

describe.skipIf(!installed)('the hub on an external broker (Mosquitto)', () => {
  it('takes devices and state from the broker and sends commands through it, confirmed by the device', async () => {
    const broker = await mosquitto();
    const hub = await hubOn(broker.url);
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');

    const firmware = await connectMqtt(broker.url);
    await obedientSwitch(firmware, 'porch');
    await live.next('availability', (m) => m.id === 'porch' && m.online);

    const heard: string[] = [];
    hub.app.mqtt.onMessage((message) => heard.push(message.topic));
    const sent = nextMessage(firmware, 'plain/porch/set');
    live.send({ type: 'command', ref: 'r1', id: 'porch', command: { on: true } });
    expect(await sent).toBe('ON');
    expect((await live.next('state', (m) => m.id === 'porch')).state).toStrictEqual({ on: true });
    expect((await live.next('command', (m) => m.command.device === 'porch' && m.command.status !== 'pending')).command.status).toBe('confirmed');
    // "No local": the broker passed the command to the device, which answered, and never back
    // to the hub, where it would have come before the answer.
    expect(heard).toStrictEqual(['plain/porch/state']);
    expect((await health(hub)).mqtt.externalBroker).toStrictEqual({ url: broker.url, connected: true });
    firmware.end(true);
    live.close();
  });

  it('reads announcements retained on the broker before the hub started', async () => {
    const broker = await mosquitto();
    const firmware = await connectMqtt(broker.url);
    const report = await announceMeter(firmware, 'meter');
    await report(42);
    const hub = await hubOn(broker.url);
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    const meter = snapshot.devices.find((d) => d.id === 'meter') ?? (await live.next('device', (m) => m.device.id === 'meter')).device;
    expect(meter.name).toBe('Meter meter');
    await report(43);
    expect((await live.next('state', (m) => m.id === 'meter' && m.state.power === 43)).state).toStrictEqual({ power: 43 });
    firmware.end(true);
    live.close();
  });

  it('signs in with the credentials in the URL, which health never shows', async () => {
    const broker = await mosquitto({ users: { hearth: 'hub s3cret', meter: 'meter pass' } });
    const url = new URL(broker.url);
    url.username = 'hearth';
    url.password = 'hub s3cret';
    const hub = await hubOn(url.toString());
    const shown = (await health(hub)).mqtt.externalBroker!;
    expect(shown).toStrictEqual({ url: broker.url, connected: true });

    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const firmware = await connectMqtt(broker.url, { username: 'meter', password: 'meter pass' });
    const report = await announceMeter(firmware, 'meter');
    await report(7);
    expect((await live.next('state', (m) => m.id === 'meter')).state).toStrictEqual({ power: 7 });
    firmware.end(true);
    live.close();
  });

  it('refuses to make device credentials, which only the embedded broker would accept', async () => {
    const broker = await mosquitto();
    const hub = await hubOn(broker.url);
    const response = await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Kitchen plug"}' });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toContain(`the hub uses the MQTT broker at ${broker.url}`);
  });

  it('carries on when the broker restarts: it reconnects, subscribes again and hears devices', async () => {
    const first = await mosquitto();
    const logs = new LogTap();
    const hub = await hubOn(first.url, logs);
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const before = await connectMqtt(first.url);
    const report = await announceMeter(before, 'meter');
    await report(1);
    await live.next('state', (m) => m.id === 'meter' && m.state.power === 1);
    await obedientSwitch(before, 'lamp');
    await live.next('availability', (m) => m.id === 'lamp' && m.online);

    // Mosquitto without persistence forgets the hub's session and every retained message.
    before.end(true);
    await first.stop();
    brokers.splice(brokers.indexOf(first), 1);
    await logs.next('MQTT broker unreachable');
    expect((await health(hub)).mqtt.externalBroker!.connected).toBe(false);
    // A command fails at once instead of waiting to switch the lamp whenever the broker returns.
    const command = await hub.fetch(`${hub.httpUrl}/api/devices/lamp/commands?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true}' });
    expect(command.status).toBe(502);
    expect(((await command.json()) as { code: string }).code).toBe('HEARTH_COMMAND_NOT_DELIVERED');
    const second = await mosquitto({ port: first.port });
    await logs.next('MQTT broker back');
    expect((await health(hub)).mqtt.externalBroker!.connected).toBe(true);

    // The device is known from the hub's own store; its next report is heard as usual.
    const after = await connectMqtt(second.url);
    await after.publishAsync('plain/meter/state', JSON.stringify({ power: 2 }));
    expect((await live.next('state', (m) => m.id === 'meter')).state).toStrictEqual({ power: 2 });
    after.end(true);
    live.close();
  });

  // Home Assistant's MQTT client (homeassistant/components/mqtt/client.py) resubscribes and
  // publishes its birth message on every connection, not only the first.
  it('says its birth message again when it gets the broker back, once it listens again', async () => {
    const broker = await mosquitto();
    const hub = await hubOn(broker.url);
    const watcher = await connectMqtt(broker.url);
    await watcher.subscribeAsync('homeassistant/status', { qos: 1 });
    const birth = nextMessage(watcher, 'homeassistant/status');
    // A client with the hub's ID and a clean start takes its connection over, and with it the
    // hub's session: the hub reconnects a second later to a broker that has lost its subscription.
    const usurper = await connectMqtt(broker.url, { clientId: 'hearth-hub', clean: true });
    expect(await birth).toBe('online');
    // A device that answers the birth by announcing is heard: the subscription was back first.
    const heardAgain = waitForEvent<MqttMessage>((listener) => hub.app.mqtt.onMessage(listener), (m) => m.topic === 'plain/meter/state', 'the meter heard after the reconnection');
    const meter = await connectMqtt(broker.url);
    await meter.publishAsync('plain/meter/state', JSON.stringify({ power: 3 }));
    expect((await heardAgain).payload.toString()).toBe('{"power":3}');
    meter.end(true);
    usurper.end(true);
    watcher.end(true);
  });
});

describe('the external broker setting', () => {
  it('accepts mqtt, mqtts, ws and wss URLs and refuses anything else with what it expects', () => {
    for (const url of ['mqtt://127.0.0.1:1883', 'mqtts://user:pw@broker.lan:8883', 'ws://broker.lan/mqtt', 'wss://broker.lan:8884/mqtt']) {
      const result = loadConfig(['--mqtt-url', url], {});
      expect(result.ok && result.config.mqttUrl).toBe(url);
    }
    const embedded = loadConfig([], {});
    expect(embedded.ok && embedded.config.mqttUrl).toBeNull();
    const wrong = loadConfig([], { HUB_MQTT_URL: 'http://broker.lan' });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.errors[0]).toMatch(/^HUB_MQTT_URL: invalid value .*expected a broker URL/);
  });
});
