import { afterEach, describe, expect, it } from 'vitest';
import type { Device, Room } from '../../hub/protocol/device.js';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { announceSwitch, connectMqtt } from '../helpers/mqtt.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await stopAllHubs();
});

const send = (hub: TestHub, path: string, method: string, body?: object) =>
  hub.fetch(`${hub.httpUrl}/api${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
const json = async <T>(response: Response) => (await response.json()) as T;
const room = async (hub: TestHub, name: string) => json<Room>(await send(hub, '/rooms', 'POST', { name }));

/** A hub with three announced switches and a dashboard following it. */
async function homeWithSwitches(ids = ['a', 'b', 'c']) {
  const hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  const mqtt = await connectMqtt(hub.mqttUrl);
  for (const id of ids) {
    await announceSwitch(mqtt, id);
    await live.next('device', (m) => m.device.id === id);
  }
  const devices = async () => new Map((await json<Device[]>(await send(hub, '/devices', 'GET'))).map((d) => [d.id, d.room]));
  cleanups.push(() => live.close(), () => mqtt.endAsync());
  return { hub, live, devices };
}

describe('room management', () => {
  // Home Assistant's area registry refuses an area whose normalised name is taken
  // (homeassistant/helpers/area_registry.py, normalize_area_name); Hearth answers with that room instead.
  it.each([['living room'], ['LIVING ROOM'], ['  Living   room '], ['LivingRoom']])('takes %j as the existing "Living room"', async (name) => {
    const hub = await startHub();
    const first = await send(hub, '/rooms', 'POST', { name: 'Living room' });
    expect(first.status).toBe(201);
    const again = await send(hub, '/rooms', 'POST', { name });
    expect(again.status).toBe(200);
    expect(await again.json()).toStrictEqual(await first.json());
    expect(await json<Room[]>(await send(hub, '/rooms', 'GET'))).toHaveLength(1);
  });

  it('keeps a new room name tidy and puts it last', async () => {
    const hub = await startHub();
    await room(hub, 'Kitchen');
    expect(await room(hub, '  Guest   room ')).toStrictEqual({ id: expect.any(String), name: 'Guest room', position: 1 });
  });

  it('renames a room, and refuses a name another room has', async () => {
    const hub = await startHub();
    const kitchen = await room(hub, 'Kitchen');
    await room(hub, 'Bedroom');
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const renamed = await send(hub, `/rooms/${kitchen.id}`, 'PATCH', { name: 'Kitchen and dining' });
    expect(await renamed.json()).toStrictEqual({ ...kitchen, name: 'Kitchen and dining' });
    expect((await live.next('rooms')).rooms.map((r) => r.name)).toStrictEqual(['Kitchen and dining', 'Bedroom']);
    // Only case changes: the same room, so allowed.
    expect((await send(hub, `/rooms/${kitchen.id}`, 'PATCH', { name: 'kitchen and dining' })).status).toBe(200);
    const taken = await send(hub, `/rooms/${kitchen.id}`, 'PATCH', { name: 'bed room' });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ code: 'HEARTH_ROOM_NAME_TAKEN', message: "there is already a room named 'Bedroom'" });
    live.close();
  });

  it('reorders rooms, on every dashboard and across a restart', async () => {
    const hub = await startHub();
    const [a, b, c] = [await room(hub, 'A'), await room(hub, 'B'), await room(hub, 'C')];
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const ordered = await send(hub, '/rooms/order', 'PUT', { rooms: [c.id, a.id, b.id] });
    expect(ordered.status).toBe(200);
    const expected = [{ ...c, position: 0 }, { ...a, position: 1 }, { ...b, position: 2 }];
    expect(await ordered.json()).toStrictEqual(expected);
    expect((await live.next('rooms')).rooms).toStrictEqual(expected);
    live.close();
    await hub.close();
    const again = await startHub({ dataDir: hub.dataDir });
    expect(await json<Room[]>(await send(again, '/rooms', 'GET'))).toStrictEqual(expected);
  });

  it.each([
    ['a room left out', (ids: string[]) => ids.slice(1), 400, /every room exactly once/],
    ['a room twice', (ids: string[]) => [...ids, ids[0]!], 400, /every room exactly once/],
    ['an unknown room', (ids: string[]) => [...ids.slice(1), 'nowhere'], 400, /room 'nowhere' not found/],
  ])('refuses an order with %s', async (_name, order, status, message) => {
    const hub = await startHub();
    const ids = [(await room(hub, 'A')).id, (await room(hub, 'B')).id];
    const refused = await send(hub, '/rooms/order', 'PUT', { rooms: order(ids) });
    expect(refused.status).toBe(status);
    expect((await json<{ message: string }>(refused)).message).toMatch(message);
    expect((await json<Room[]>(await send(hub, '/rooms', 'GET'))).map((r) => r.name)).toStrictEqual(['A', 'B']);
  });

  it('moves many devices into a room at once, live', async () => {
    const home = await homeWithSwitches();
    const { hub, live } = home;
    const office = await room(hub, 'Office');
    const moved = await send(hub, '/devices/move', 'POST', { devices: ['a', 'c'], room: office.id });
    expect((await json<Device[]>(moved)).map((d) => [d.id, d.room])).toStrictEqual([['a', office.id], ['c', office.id]]);
    await live.next('device', (m) => m.device.id === 'c' && m.device.room === office.id);
    expect(await home.devices()).toStrictEqual(new Map([['a', office.id], ['b', null], ['c', office.id]]));
    await send(hub, '/devices/move', 'POST', { devices: ['a'], room: null });
    expect((await home.devices()).get('a')).toBeNull();
  });

  it.each([
    ['an unknown device, moving none', { devices: ['a', 'ghost'] }, 404, /device 'ghost' not found/],
    ['an unknown room', { devices: ['a'], room: 'nowhere' }, 404, /room 'nowhere' not found/],
    ['an empty list', { devices: [] }, 400, /devices/],
    ['a device twice', { devices: ['a', 'a'] }, 400, /duplicate|unique/i],
    ['no room given', { devices: ['a'], room: undefined }, 400, /room/],
  ])('refuses a move with %s', async (_name, body, status, message) => {
    const home = await homeWithSwitches(['a']);
    const office = await room(home.hub, 'Office');
    const refused = await send(home.hub, '/devices/move', 'POST', { room: office.id, ...body });
    expect(refused.status).toBe(status);
    expect((await json<{ message: string }>(refused)).message).toMatch(message);
    expect((await home.devices()).get('a')).toBeNull();
  });

  it('removes a room, its devices going to the room asked for or to none', async () => {
    const home = await homeWithSwitches();
    const { hub } = home;
    const [den, study] = [await room(hub, 'Den'), await room(hub, 'Study')];
    await send(hub, '/devices/move', 'POST', { devices: ['a', 'b'], room: den.id });
    await send(hub, '/devices/move', 'POST', { devices: ['c'], room: study.id });

    expect((await send(hub, `/rooms/${den.id}?devicesTo=${study.id}`, 'DELETE')).status).toBe(204);
    expect(await home.devices()).toStrictEqual(new Map([['a', study.id], ['b', study.id], ['c', study.id]]));
    expect((await home.live.next('rooms', (m) => m.rooms.length === 1 && m.rooms[0]!.id === study.id)).rooms).toStrictEqual([study]);

    expect((await send(hub, `/rooms/${study.id}`, 'DELETE')).status).toBe(204);
    expect(await home.devices()).toStrictEqual(new Map([['a', null], ['b', null], ['c', null]]));
  });

  it.each([
    ['to an unknown room', (id: string) => `/rooms/${id}?devicesTo=nowhere`, 404, /room 'nowhere' not found/],
    ['into itself', (id: string) => `/rooms/${id}?devicesTo=${id}`, 400, /cannot stay/],
    ['with an unknown option', (id: string) => `/rooms/${id}?keep=1`, 400, /additional/],
  ])('refuses to remove a room with its devices going %s, changing nothing', async (_name, path, status, message) => {
    const home = await homeWithSwitches(['a']);
    const den = await room(home.hub, 'Den');
    await send(home.hub, '/devices/move', 'POST', { devices: ['a'], room: den.id });
    const refused = await send(home.hub, path(den.id), 'DELETE');
    expect(refused.status).toBe(status);
    expect((await json<{ message: string }>(refused)).message).toMatch(message);
    expect((await home.devices()).get('a')).toBe(den.id);
    expect(await json<Room[]>(await send(home.hub, '/rooms', 'GET'))).toStrictEqual([den]);
  });

  it('lets members and viewers read rooms but not change them', async () => {
    const hub = await startHub();
    await room(hub, 'Den');
    const json = { 'content-type': 'application/json' };
    expect((await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'sam', password: 'long enough', role: 'member' }) })).status).toBe(201);
    const login = await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'sam', password: 'long enough' }) });
    const cookie = { cookie: login.headers.getSetCookie()[0]!.split(';')[0]! };
    expect((await fetch(`${hub.httpUrl}/api/rooms`, { headers: cookie })).status).toBe(200);
    const refused = await fetch(`${hub.httpUrl}/api/rooms`, { method: 'POST', headers: { ...json, ...cookie }, body: '{"name":"Attic"}' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'HEARTH_FORBIDDEN' });
  });
});

describe('the demo home', () => {
  it('starts with its rooms, and keeps what the user changed across a restart', async () => {
    const hub = await startHub({ simulate: true });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    // Every one of the eleven devices placed, in whatever order they connected.
    const placed = new Set<string>();
    await live.next('device', (m) => (m.device.room !== null && placed.add(m.device.id), placed.size === 11));
    const rooms = await json<Room[]>(await send(hub, '/rooms', 'GET'));
    expect(rooms.map((r) => r.name)).toStrictEqual(['Living room', 'Kitchen', 'Bedroom', 'Hallway']);
    const roomOf = async (id: string) => {
      const device = await json<Device>(await send(hub, `/devices/${id}`, 'GET'));
      return rooms.find((r) => r.id === device.room)?.name;
    };
    expect(await roomOf('living-room-lamp')).toBe('Living room');
    expect(await roomOf('coffee-machine')).toBe('Kitchen');

    const kitchen = rooms.find((r) => r.name === 'Kitchen')!;
    await send(hub, '/devices/move', 'POST', { devices: ['living-room-lamp'], room: null });
    await send(hub, `/rooms/${kitchen.id}`, 'DELETE');
    live.close();
    await hub.close();
    const again = await startHub({ simulate: true, dataDir: hub.dataDir });
    const watcher = await LiveClient.connect(again.wsUrl, again.headers);
    await watcher.next('snapshot');
    await watcher.next('availability', (m) => m.id === 'living-room-lamp' && m.online);
    expect((await json<Room[]>(await send(again, '/rooms', 'GET'))).map((r) => r.name)).toStrictEqual(['Living room', 'Bedroom', 'Hallway']);
    expect((await json<Device>(await send(again, '/devices/living-room-lamp', 'GET'))).room).toBeNull();
    watcher.close();
  });
});
