/**
 * Scenes and room actions through real MQTT devices. As Home Assistant's scene.apply, a scene
 * sends each device its own state; unlike it, Hearth follows each command to the device's
 * confirming report, so a scene counts as applied only when every device answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupReport, SceneView } from '../../hub/protocol/automations.js';
import type { Room } from '../../hub/protocol/device.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { call } from './helpers.js';

afterEach(stopAllHubs);

async function twoSwitches(options: { silent: boolean }) {
  const hub = await startHub({ commandTimeoutMs: 300 });
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  const answering = await connectMqtt(hub.mqttUrl);
  const silent = await connectMqtt(hub.mqttUrl);
  await obedientSwitch(answering, 'tv');
  await obedientSwitch(silent, 'fan', { ignore: options.silent });
  await live.next('availability', (m) => m.id === 'tv' && m.online);
  await live.next('availability', (m) => m.id === 'fan' && m.online);
  return { hub, live, answering, silent };
}

describe('scenes', () => {
  it('lists the device that did not answer, and is not applied', async () => {
    const { hub } = await twoSwitches({ silent: true });
    const made = await call<SceneView>(hub, 'POST', '/api/scenes', { name: 'Movie night', targets: [{ device: 'tv', command: { on: true } }, { device: 'fan', command: { on: true } }] });
    expect(made.status).toBe(201);
    const applied = await call<GroupReport & { missing: string[] }>(hub, 'POST', `/api/scenes/${made.body.id}/apply`);
    expect(applied.body).toStrictEqual({
      done: false,
      scene: made.body.id,
      confirmed: ['tv'],
      failed: [{ device: 'fan', reason: 'timeout' }],
      missing: [],
      commands: [expect.objectContaining({ device: 'tv', status: 'confirmed' }), expect.objectContaining({ device: 'fan', status: 'failed', reason: 'timeout' })],
    });
  });

  it('is applied when every device confirms, and is made from what is on now', async () => {
    const { hub, answering, live } = await twoSwitches({ silent: false });
    await answering.publishAsync('plain/tv/state', 'ON');
    await live.next('state', (m) => m.id === 'tv' && m.state.on === true);
    const captured = await call<SceneView>(hub, 'POST', '/api/scenes', { name: 'Now', capture: ['tv'] });
    expect(captured.body).toMatchObject({ name: 'Now', targets: [{ device: 'tv', command: { on: true } }], missing: [] });
    await answering.publishAsync('plain/tv/state', 'OFF');
    await live.next('state', (m) => m.id === 'tv' && m.state.on === false);
    const applied = await call<GroupReport>(hub, 'POST', `/api/scenes/${captured.body.id}/apply`);
    expect(applied.body).toMatchObject({ done: true, confirmed: ['tv'], failed: [] });
  });

  it('says which of its devices was removed', async () => {
    const { hub, live } = await twoSwitches({ silent: false });
    const made = await call<SceneView>(hub, 'POST', '/api/scenes', { name: 'Both', targets: [{ device: 'tv', command: { on: true } }, { device: 'fan', command: { on: false } }] });
    expect((await call(hub, 'DELETE', '/api/devices/fan')).status).toBe(204);
    const announced = await live.next('scenes', (m) => m.scenes.some((s) => s.missing.length > 0));
    expect(announced.scenes).toStrictEqual([{ ...made.body, missing: ['fan'] }]);
    const applied = await call<GroupReport & { missing: string[] }>(hub, 'POST', `/api/scenes/${made.body.id}/apply`);
    expect(applied.body).toMatchObject({ done: false, confirmed: ['tv'], failed: [], missing: ['fan'] });
  });

  it('refuses a command the device does not take, with the reason', async () => {
    const { hub } = await twoSwitches({ silent: false });
    const refused = await call<{ code: string; message: string }>(hub, 'POST', '/api/scenes', { name: 'Bad', targets: [{ device: 'tv', command: { brightness: 10 } }] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'HEARTH_INVALID_SCENE', message: expect.stringContaining('tv') });
  });
});

describe('room and home lights', () => {
  it('turns a room’s lights on at a brightness, each with its own confirmed command, then the home’s off', async () => {
    const hub = await startHub({ simulate: true });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    for (const id of ['living-room-lamp', 'living-room-ceiling', 'kitchen-ceiling']) await live.next('availability', (m) => m.id === id && m.online);
    const room = (await call<Room>(hub, 'POST', '/api/rooms', { name: 'Living room' })).body;
    for (const id of ['living-room-lamp', 'living-room-ceiling']) await call(hub, 'PATCH', `/api/devices/${id}`, { room: room.id });

    const report = await call<GroupReport>(hub, 'POST', `/api/rooms/${room.id}/lights`, { on: true, brightness: 77 });
    expect(report.status).toBe(200);
    expect({ ...report.body, confirmed: report.body.confirmed.sort() }).toStrictEqual({
      done: true,
      confirmed: ['living-room-ceiling', 'living-room-lamp'],
      failed: [],
      commands: expect.arrayContaining([
        expect.objectContaining({ device: 'living-room-lamp', command: { on: true, brightness: 77 }, status: 'confirmed' }),
        expect.objectContaining({ device: 'living-room-ceiling', command: { on: true, brightness: 77 }, status: 'confirmed' }),
      ]),
    });

    const home = await call<GroupReport>(hub, 'POST', '/api/home/lights', { on: false });
    expect(home.body.done).toBe(true);
    expect(home.body.confirmed.sort()).toStrictEqual(['bedroom-light', 'hallway-light', 'kitchen-ceiling', 'living-room-ceiling', 'living-room-lamp']);
    const devices = (await call<{ id: string; kind: string; state: { on?: boolean } }[]>(hub, 'GET', '/api/devices')).body;
    expect(devices.filter((d) => d.kind === 'light' && d.state.on !== false)).toStrictEqual([]);
  });

  it('lets a viewer look but not act', async () => {
    const hub = await startHub();
    const viewer = hub.app.auth.accounts;
    const user = await viewer.createUser('guest', 'a long enough password', 'viewer');
    const token = viewer.createToken(user!.id, 'viewer').secret;
    const response = await fetch(`${hub.httpUrl}/api/home/lights`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"on":false}' });
    expect(response.status).toBe(403);
  });
});
