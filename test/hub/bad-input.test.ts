import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceSwitch, connectMqtt } from '../helpers/mqtt.js';

let hub: TestHub;
let device: MqttClient;
let live: LiveClient;

beforeAll(async () => {
  hub = await startHub();
  live = await LiveClient.connect(hub.wsUrl, hub.headers);
  device = await connectMqtt(hub.mqttUrl);
  await announceSwitch(device, 'plug1');
  await live.next('availability', (m) => m.id === 'plug1' && m.online);
});

afterAll(async () => {
  device.end(true);
  live.close();
  await stopAllHubs();
});

const post = (path: string, body: string, contentType = 'application/json') =>
  hub.fetch(`${hub.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('bad REST input', () => {
  it.each([
    ['a value of the wrong type', '{"on":"yes"}', /on.*boolean/],
    ['a property the device cannot accept', '{"brightness":128}', /unknown property 'brightness'; this device accepts on/],
    ['an unknown property', '{"explode":true}', /unknown property 'explode'/],
    ['an empty command', '{}', /fewer than 1/],
    ['a body that is not JSON', '{"on": tru', /JSON/],
  ])('answers 400 for %s, saying what is wrong', async (_name, body, message) => {
    const response = await post('/api/devices/plug1/commands', body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { message: string };
    expect(error.message).toMatch(message);
  });

  it('answers 404 for an unknown device, on reads and commands', async () => {
    const read = await hub.fetch(`${hub.httpUrl}/api/devices/nope`);
    expect(read.status).toBe(404);
    expect(await read.json()).toStrictEqual({ statusCode: 404, code: 'HEARTH_DEVICE_NOT_FOUND', error: 'Not Found', message: "device 'nope' not found" });
    const command = await post('/api/devices/nope/commands', '{"on":true}');
    expect(command.status).toBe(404);
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    for (const [body, type] of [['on', 'text/plain'], ['[1,2]', 'application/json']] as const) {
      const response = await post('/api/devices/plug1/commands', body, type);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/body must be object/);
    }
  });
});

describe('bad WebSocket messages', () => {
  it.each([
    ['text that is not JSON', 'hello', /JSON/],
    ['a message of an unknown type', '{"type":"dance","ref":"r1"}', /type/],
    ['a command without a device', '{"type":"command","command":{"on":true}}', /id/],
  ])('answers %s with an error and keeps the connection', async (_name, text, message) => {
    live.send(text);
    const error = await live.next('error');
    expect(error.code).toBe('BAD_MESSAGE');
    expect(error.message).toMatch(message);
    expect(live.socket.readyState).toBe(live.socket.OPEN);
  });

  it('answers a command to an unknown device with its ref', async () => {
    live.send({ type: 'command', ref: 'r2', id: 'ghost', command: { on: true } });
    expect(await live.next('error', (m) => m.ref === 'r2')).toStrictEqual({
      type: 'error',
      ref: 'r2',
      code: 'DEVICE_NOT_FOUND',
      message: "device 'ghost' not found",
    });
  });
});

describe('garbage from devices', () => {
  it('is counted and logged, and the device keeps working', async () => {
    const before = ((await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { bridge: { rejectedPayloads: number; rejectedDiscovery: number } }).bridge;
    await device.publishAsync('plain/plug1/state', '\u0000\u00ff garbage');
    await device.publishAsync('homeassistant/switch/broken/config', '{not json');
    await device.publishAsync('homeassistant/light/broken2/light/config', JSON.stringify({ schema: 'json', cmd_t: 5 }));
    // Messages from one client are handled in order: once this state shows, the garbage was processed.
    await device.publishAsync('plain/plug1/state', 'ON');
    const state = await live.next('state', (m) => m.id === 'plug1');
    expect(state.state).toStrictEqual({ on: true });

    const health = (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { status: string; bridge: typeof before };
    expect(health.status).toBe('ok');
    expect(health.bridge.rejectedPayloads).toBe(before.rejectedPayloads + 1);
    expect(health.bridge.rejectedDiscovery).toBe(before.rejectedDiscovery + 2);
    const devices = (await (await hub.fetch(`${hub.httpUrl}/api/devices`)).json()) as { id: string }[];
    expect(devices.map((d) => d.id)).toStrictEqual(['plug1']);
  });

  it('refuses a state payload over 64 KiB unread, and the device keeps working', async () => {
    const health = async () => ((await (await fetch(`${hub.httpUrl}/api/health`, { headers: hub.headers })).json()) as { bridge: { rejectedPayloads: number } }).bridge;
    const before = await health();
    // Refused by its size alone: padded OFF would otherwise be read as a report.
    await device.publishAsync('plain/plug1/state', `OFF${' '.repeat(70_000)}`);
    await device.publishAsync('plain/plug1/state', 'OFF');
    await device.publishAsync('plain/plug1/state', 'ON');
    await live.next('state', (m) => m.id === 'plug1' && m.state.on === true);
    expect((await health()).rejectedPayloads).toBe(before.rejectedPayloads + 1);
  });
});
