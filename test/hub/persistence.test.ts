import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceSwitch, connectMqtt } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const getDevice = async (hub: TestHub, id: string) => (await (await hub.fetch(`${hub.httpUrl}/api/devices/${id}`)).json()) as Device;

describe('persistence', () => {
  it('brings back the registry and last known state after a restart on the same data dir', async () => {
    const first = await startHub();
    const live = await LiveClient.connect(first.wsUrl, first.headers);
    const device = await connectMqtt(first.mqttUrl);
    await announceSwitch(device, 'lamp7');
    await device.publishAsync('plain/lamp7/state', 'ON');
    await live.next('state', (m) => m.id === 'lamp7' && m.state.on === true);
    const before = await getDevice(first, 'lamp7');
    device.end(true);
    live.close();
    await first.close();

    const second = await startHub({ dataDir: first.dataDir });
    const after = await getDevice(second, 'lamp7');
    // Nobody is connected to a freshly started broker, so the device is offline until it says otherwise.
    expect(after).toStrictEqual({ ...before, online: false });
    expect(after.state).toStrictEqual({ on: true });

    // Known devices take commands again as soon as they are back, without re-announcing.
    const again = await connectMqtt(second.mqttUrl);
    await again.subscribeAsync('plain/lamp7/set');
    const live2 = await LiveClient.connect(second.wsUrl, second.headers);
    await again.publishAsync('plain/lamp7/status', 'online', { retain: true, qos: 1 });
    await live2.next('availability', (m) => m.id === 'lamp7' && m.online);
    const command = await second.fetch(`${second.httpUrl}/api/devices/lamp7/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"on":false}',
    });
    expect(command.status).toBe(202);
    again.end(true);
    live2.close();
  });
});

describe('availability', () => {
  it('shows a device offline when its connection drops without a goodbye (last will)', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl, {
      will: { topic: 'plain/door1/status', payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await announceSwitch(device, 'door1');
    await live.next('availability', (m) => m.id === 'door1' && m.online);

    device.stream.destroy();
    expect(await live.next('availability', (m) => m.id === 'door1')).toStrictEqual({ type: 'availability', seq: expect.any(Number), id: 'door1', online: false });
    expect((await getDevice(hub, 'door1')).online).toBe(false);

    const command = await hub.fetch(`${hub.httpUrl}/api/devices/door1/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"on":true}',
    });
    expect(command.status).toBe(409);
    expect(((await command.json()) as { code: string }).code).toBe('HEARTH_DEVICE_OFFLINE');
    live.close();
  });

  it('forgets a device whose discovery is withdrawn with an empty retained message', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    await announceSwitch(device, 'old1');
    await live.next('device', (m) => m.device.id === 'old1');
    await device.publishAsync('homeassistant/switch/old1/switch/config', '', { retain: true, qos: 1 });
    expect(await live.next('removed')).toStrictEqual({ type: 'removed', seq: expect.any(Number), id: 'old1' });
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/old1`)).status).toBe(404);
    device.end(true);
    live.close();
  });
});
