import { afterEach, describe, expect, it } from 'vitest';
import type { Device, Room } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceSwitch, connectMqtt } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

const send = (hub: TestHub, path: string, method: string, body?: object) =>
  hub.fetch(`${hub.httpUrl}${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });

describe('rooms and device settings', () => {
  it('assigns, renames and orders devices, live on every dashboard, and keeps it across a restart', async () => {
    const hub = await startHub();
    const phone = await LiveClient.connect(hub.wsUrl, hub.headers);
    const tablet = await LiveClient.connect(hub.wsUrl, hub.headers);
    await Promise.all([phone.next('snapshot'), tablet.next('snapshot')]);
    const device = await connectMqtt(hub.mqttUrl);
    await announceSwitch(device, 'lamp1');
    await tablet.next('device', (m) => m.device.id === 'lamp1');

    const created = await send(hub, `/api/rooms`, 'POST', { name: ' Kitchen ' });
    expect(created.status).toBe(201);
    const kitchen = (await created.json()) as Room;
    expect(kitchen).toStrictEqual({ id: expect.any(String), name: 'Kitchen', position: 0 });
    expect((await tablet.next('rooms')).rooms).toStrictEqual([kitchen]);

    const patched = await send(hub, `/api/devices/lamp1`, 'PATCH', { room: kitchen.id, name: 'Counter lights', favourite: true, position: 3 });
    expect(patched.status).toBe(200);
    const seen = await tablet.next('device', (m) => m.device.id === 'lamp1' && m.device.room === kitchen.id);
    expect(seen.device).toMatchObject({ name: 'Counter lights', announcedName: 'Plain lamp1', favourite: true, position: 3 });

    // The device announcing itself again does not undo what the user set.
    await announceSwitch(device, 'lamp1');
    device.end(true);
    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    const [stored] = (await (await again.fetch(`${again.httpUrl}/api/devices`)).json()) as Device[];
    expect(stored).toMatchObject({ name: 'Counter lights', room: kitchen.id, favourite: true, position: 3 });
    const live = await LiveClient.connect(again.wsUrl, again.headers);
    expect((await live.next('snapshot')).rooms).toStrictEqual([kitchen]);

    // A null name restores the announced one; removing the room unassigns its devices.
    await send(again, `/api/devices/lamp1`, 'PATCH', { name: null });
    expect((await send(again, `/api/rooms/${kitchen.id}`, 'DELETE')).status).toBe(204);
    const unassigned = await live.next('device', (m) => m.device.room === null);
    expect(unassigned.device.name).toBe('Plain lamp1');
    expect((await live.next('rooms')).rooms).toStrictEqual([]);
    [phone, tablet, live].forEach((c) => c.close());
  });

  it.each([
    ['an unknown room', { room: 'nowhere' }, 404, /room 'nowhere' not found/],
    ['an empty name', { name: '   ' }, 400, /name/],
    ['an unknown setting', { colour: 'red' }, 400, /additional/],
    ['nothing at all', {}, 400, /fewer than 1/],
  ])('refuses %s', async (_name, body, status, message) => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    await announceSwitch(device, 'lamp2');
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const snapshot = await live.next('snapshot');
    if (!snapshot.devices.length) await live.next('device');
    const response = await send(hub, `/api/devices/lamp2`, 'PATCH', body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    device.end(true);
    live.close();
  });
});
