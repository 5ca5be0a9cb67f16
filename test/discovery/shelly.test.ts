import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { hubWithClient } from './hub-and-client.js';
import { firmwareRpc, notifyStatus, PREFIX, switchStatus } from './shelly-fixtures.js';

afterEach(stopAllHubs);

const postCommand = (hub: TestHub, id: string, body: object) =>
  fetch(`${hub.httpUrl}/api/devices/${id}/commands`, { method: 'POST', headers: { ...hub.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const health = async (hub: TestHub) => (await (await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers })).json()) as { status: string; bridge: { rejectedDiscovery: number; rejectedPayloads: number } };

async function hubWithShelly(publisher: 'mqtt.js' | 'mosquitto_pub' = 'mqtt.js') {
  // The device's last will is `<prefix>/online` false; it says true, retained, on connecting.
  const { hub, live, client: device } = await hubWithClient({}, { will: { topic: `${PREFIX}/online`, payload: Buffer.from('false'), retain: true, qos: 1 } });
  const rpc = await firmwareRpc(device);
  if (publisher === 'mqtt.js') await device.publishAsync(`${PREFIX}/online`, 'true', { retain: true, qos: 1 });
  else await mosquittoPub(hub.mqttUrl, `${PREFIX}/online`, 'true', { retain: true });
  return { hub, live, device, rpc };
}

describe('Shelly Gen2+ over MQTT', () => {
  it.each(['mqtt.js', 'mosquitto_pub'] as const)('asks a Plus 1PM who it is and makes it a metered switch (online published with %s)', async (publisher) => {
    const { live, device, rpc } = await hubWithShelly(publisher);
    const { device: found } = await live.next('device', (m) => m.device.id === PREFIX && m.device.capabilities.length > 1);
    expect(rpc.requests).toStrictEqual([
      { id: expect.any(Number), src: 'hearth-hub', method: 'Shelly.GetDeviceInfo' },
      { id: expect.any(Number), src: 'hearth-hub', method: 'Shelly.GetStatus' },
    ]);
    expect(found).toMatchObject({ name: PREFIX, kind: 'switch', manufacturer: 'Shelly', model: 'Plus1PM' });
    expect(found.capabilities.map((c) => c.property)).toStrictEqual(['on', 'power', 'voltage', 'current', 'energy', 'device_temperature', 'input']);
    expect(found.source).toMatchObject({ protocol: 'shelly', topics: { availability: [`${PREFIX}/online`, `${PREFIX}/events/rpc`], command: [`${PREFIX}/rpc`] } });
    const { state } = await live.next('state', (m) => m.id === PREFIX);
    expect(state).toStrictEqual({ on: false, power: 0, voltage: 233.1, current: 0, energy: 0, device_temperature: 41.6, input: false });
    device.end(true);
    live.close();
  });

  it('sends Switch.Set as the firmware expects it, on its rpc topic, never retained', async () => {
    const { hub, live, device } = await hubWithShelly();
    await live.next('availability', (m) => m.id === PREFIX && m.online);
    const sent = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      device.on('message', (topic, payload, packet) => topic === `${PREFIX}/rpc` && payload.includes('Switch.Set') && resolve({ payload: payload.toString(), retain: packet.retain })),
    );
    expect((await postCommand(hub, PREFIX, { on: true })).status).toBe(202);
    const { payload, retain } = await sent;
    expect(JSON.parse(payload)).toStrictEqual({ id: expect.any(Number), src: 'hearth-hub', method: 'Switch.Set', params: { id: 0, on: true } });
    expect(retain).toBe(false);
    device.end(true);
    live.close();
  });

  it('takes a Shelly found from a NotifyStatus as online once it reports, and commands it at once', async () => {
    // No retained `online`: the device is found from its status report alone (General/Notifications#notifystatus).
    const { hub, live, client: device } = await hubWithClient();
    const rpc = await firmwareRpc(device);
    await mosquittoPub(hub.mqttUrl, `${PREFIX}/events/rpc`, notifyStatus({ 'switch:0': switchStatus }));
    await live.next('availability', (m) => m.id === PREFIX && m.online);
    expect((await postCommand(hub, PREFIX, { on: true })).status).toBe(202);
    // Its last will takes it offline; its next report brings it back.
    await mosquittoPub(hub.mqttUrl, `${PREFIX}/online`, 'false', { retain: true });
    await live.next('availability', (m) => m.id === PREFIX && !m.online);
    expect((await postCommand(hub, PREFIX, { on: true })).status).toBe(409);
    await mosquittoPub(hub.mqttUrl, `${PREFIX}/events/rpc`, notifyStatus({ 'switch:0': { id: 0, output: true } }));
    await live.next('availability', (m) => m.id === PREFIX && m.online);
    expect(rpc.requests.map((r) => r.method)).toContain('Switch.Set');
    device.end(true);
    live.close();
  });

  it('merges NotifyStatus deltas onto the last full status and tells WebSocket clients', async () => {
    const { live, device } = await hubWithShelly();
    await live.next('state', (m) => m.id === PREFIX);
    await device.publishAsync(`${PREFIX}/events/rpc`, notifyStatus({ 'switch:0': { id: 0, output: true, source: 'button' } }));
    expect((await live.next('state', (m) => m.id === PREFIX)).state).toMatchObject({ on: true, voltage: 233.1, device_temperature: 41.6 });
    await device.publishAsync(`${PREFIX}/events/rpc`, notifyStatus({ 'switch:0': { id: 0, apower: 12.5, current: 0.054, aenergy: { total: 3.1 } } }));
    expect((await live.next('state', (m) => m.id === PREFIX)).state).toStrictEqual({ on: true, power: 12.5, voltage: 233.1, current: 0.054, energy: 3.1, device_temperature: 41.6, input: false });
    // Generic status update (status_ntf): the whole component on its own topic.
    await device.publishAsync(`${PREFIX}/status/switch:0`, JSON.stringify({ ...switchStatus, output: false, apower: 0 }));
    expect((await live.next('state', (m) => m.id === PREFIX)).state).toMatchObject({ on: false, power: 0 });
    device.end(true);
    live.close();
  });

  it('follows availability from <prefix>/online, the last will included', async () => {
    const { hub, live, device } = await hubWithShelly();
    await live.next('availability', (m) => m.id === PREFIX && m.online);
    device.stream.destroy(); // dropped without DISCONNECT: the broker publishes the will
    await live.next('availability', (m) => m.id === PREFIX && !m.online);
    const watcher = await connectMqtt(hub.mqttUrl);
    await watcher.publishAsync(`${PREFIX}/online`, 'true', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === PREFIX && m.online);
    watcher.end(true);
    live.close();
  });

  it('finds a device that never answers from its NotifyFullStatus, a sensor-only H&T, and lists a cover as unsupported', async () => {
    const { live, client: device } = await hubWithClient();
    // Shelly H&T Gen3 status shapes: Temperature#status, Humidity#status, DevicePower#status.
    const params = { ts: 1700000000.1, 'temperature:0': { id: 0, tC: 21.3, tF: 70.3 }, 'humidity:0': { id: 0, rh: 46.5 }, 'devicepower:0': { id: 0, battery: { V: 5.98, percent: 91 }, external: { present: false } }, 'cover:0': { id: 0, state: 'stopped' } };
    await device.publishAsync('shellyhtg3-e4b063d4a8c0/events/rpc', JSON.stringify({ src: 'shellyhtg3-e4b063d4a8c0', dst: 'hearth-hub', method: 'NotifyFullStatus', params }));
    const { device: found } = await live.next('device', (m) => m.device.id === 'shellyhtg3-e4b063d4a8c0');
    expect(found.kind).toBe('sensor');
    expect(found.capabilities.map((c) => [c.property, 'unit' in c ? c.unit : undefined])).toStrictEqual([['temperature', '°C'], ['humidity', '%'], ['battery', '%']]);
    expect(found.source.problems).toStrictEqual(["shelly/shellyhtg3-e4b063d4a8c0#cover:0: component 'cover:0' is not supported yet"]);
    expect((await live.next('state', (m) => m.id === found.id)).state).toStrictEqual({ temperature: 21.3, humidity: 46.5, battery: 91 });
    device.end(true);
    live.close();
  });

  it('drives a dimmer with Light.Set, brightness 0-100', async () => {
    const { hub, live, client: device } = await hubWithClient();
    await device.subscribeAsync('shellyplusdimmer-1/rpc');
    // Light#status: output and brightness in percent.
    await device.publishAsync('shellyplusdimmer-1/status/light:0', JSON.stringify({ id: 0, source: 'init', output: true, brightness: 50 }));
    const { device: found } = await live.next('device', (m) => m.device.id === 'shellyplusdimmer-1');
    expect(found.kind).toBe('light');
    expect((await live.next('state', (m) => m.id === found.id)).state).toStrictEqual({ on: true, brightness: 128 });
    await device.publishAsync('shellyplusdimmer-1/online', 'true', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === found.id && m.online);
    const sent = waitForMethod(device, 'shellyplusdimmer-1/rpc', 'Light.Set');
    await postCommand(hub, found.id, { on: true, brightness: 255 });
    expect(JSON.parse(await sent)).toStrictEqual({ id: expect.any(Number), src: 'hearth-hub', method: 'Light.Set', params: { id: 0, on: true, brightness: 100 } });
    device.end(true);
    live.close();
  });

  it.each([
    ['events/rpc that is not JSON', `${PREFIX}/events/rpc`, '{"src":'],
    ['a frame without src', `${PREFIX}/events/rpc`, JSON.stringify({ method: 'NotifyStatus', params: {} })],
    ['a component status that is not an object', `${PREFIX}/status/switch:0`, '[1,2]'],
    ['an error reply', 'hearth-hub/rpc', JSON.stringify({ id: 7, src: PREFIX, dst: 'hearth-hub', error: { code: -103, message: 'Invalid argument' } })],
  ])('refuses %s with a reason and keeps serving', async (_name, topic, payload) => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    await device.publishAsync(topic, payload, { qos: 1 });
    await device.publishAsync('shellyplus1-b8d61a85ed58/status/switch:0', JSON.stringify({ id: 0, source: 'init', output: true }), { qos: 1 });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    const ids = snapshot.devices.length ? snapshot.devices.map((d) => d.id) : [(await live.next('device')).device.id];
    expect(ids).toStrictEqual(['shellyplus1-b8d61a85ed58']);
    expect(await health(hub)).toMatchObject({ status: 'ok', bridge: { rejectedDiscovery: 1 } });
    device.end(true);
    live.close();
  });

  it('refuses a switch status of the wrong type as a bad payload', async () => {
    const { hub, live, device } = await hubWithShelly();
    await live.next('state', (m) => m.id === PREFIX);
    await device.publishAsync(`${PREFIX}/events/rpc`, notifyStatus({ 'switch:0': { id: 0, output: 'on' } }));
    await device.publishAsync(`${PREFIX}/events/rpc`, notifyStatus({ 'switch:0': { id: 0, output: true } }));
    await live.next('state', (m) => m.id === PREFIX && m.state.on === true);
    expect((await health(hub)).bridge.rejectedPayloads).toBe(1);
    device.end(true);
    live.close();
  });
});

function waitForMethod(client: Awaited<ReturnType<typeof connectMqtt>>, topic: string, method: string): Promise<string> {
  return new Promise((resolve) => client.on('message', (t, payload) => t === topic && payload.includes(method) && resolve(payload.toString())));
}
