import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../hub/protocol/messages.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const command = (hub: TestHub, id: string, body: object, wait = true) =>
  hub.fetch(`${hub.httpUrl}/api/devices/${id}/commands${wait ? '?wait=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('confirmed commands', () => {
  it('answers 200 with the latency once the device reports the requested state', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(device, 'sw1');
    await live.next('availability', (m) => m.id === 'sw1' && m.online);

    const response = await command(hub, 'sw1', { on: true });
    expect(response.status).toBe(200);
    const { command: record } = (await response.json()) as { command: CommandRecord };
    expect(record).toStrictEqual({
      id: expect.any(String),
      device: 'sw1',
      command: { on: true },
      status: 'confirmed',
      issuedAt: expect.any(Number),
      latencyMs: expect.any(Number),
    });
    // The stream tells the same story, in order: pending, the state, confirmed.
    const pending = await live.next('command', (m) => m.command.id === record.id);
    const state = await live.next('state', (m) => m.id === 'sw1');
    const confirmed = await live.next('command', (m) => m.command.id === record.id);
    expect(pending.command.status).toBe('pending');
    expect(state.state).toStrictEqual({ on: true });
    expect(confirmed.command).toStrictEqual(record);
    expect(pending.seq < state.seq && state.seq < confirmed.seq).toBe(true);
    // The device's page finds it among its recent commands.
    const recent = (await (await hub.fetch(`${hub.httpUrl}/api/devices/sw1/commands`)).json()) as { commands: CommandRecord[] };
    expect(recent.commands).toStrictEqual([record]);
    device.end(true);
    live.close();
  });

  it('acknowledges a WebSocket command with its record, then confirms it on the stream', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(device, 'sw2');
    await live.next('availability', (m) => m.id === 'sw2' && m.online);
    live.send({ type: 'command', ref: 'tap-1', id: 'sw2', command: { on: true } });
    const ack = await live.next('ack', (m) => m.ref === 'tap-1');
    expect(ack.command.status).toBe('pending');
    const confirmed = await live.next('command', (m) => m.command.id === ack.command.id && m.command.status !== 'pending');
    expect(confirmed.command.status).toBe('confirmed');
    device.end(true);
    live.close();
  });

  it('answers 504 when the device never confirms, and says so on the stream', async () => {
    const hub = await startHub({ commandTimeoutMs: 300 });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(device, 'deaf', { ignore: true });
    await live.next('availability', (m) => m.id === 'deaf' && m.online);
    const response = await command(hub, 'deaf', { on: true });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { code: string }).code).toBe('HEARTH_COMMAND_TIMEOUT');
    const failed = await live.next('command', (m) => m.command.status === 'failed');
    expect(failed.command).toMatchObject({ device: 'deaf', status: 'failed', reason: 'timeout' });
    device.end(true);
    live.close();
  });

  it('answers 409 for an offline device, and fails pending commands when the device drops', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl, {
      will: { topic: 'plain/gone/status', payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await obedientSwitch(device, 'gone', { ignore: true });
    await live.next('availability', (m) => m.id === 'gone' && m.online);
    const waiting = command(hub, 'gone', { on: true });
    await live.next('command', (m) => m.command.device === 'gone' && m.command.status === 'pending');
    device.stream.destroy();
    const dropped = await waiting;
    expect(dropped.status).toBe(409);
    expect(((await dropped.json()) as { code: string }).code).toBe('HEARTH_DEVICE_OFFLINE');

    const refused = await command(hub, 'gone', { on: false }, false);
    expect(refused.status).toBe(409);
    const record = await live.next('command', (m) => m.command.command.on === false);
    expect(record.command).toMatchObject({ status: 'failed', reason: 'offline' });
    live.close();
  });
});
