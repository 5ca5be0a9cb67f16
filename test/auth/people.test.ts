import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { LogTap } from '../helpers/log-tap.js';
import { upgradeStatus } from '../helpers/upgrade.js';
import { startHub, stopAllHubs, TEST_OWNER, type TestHub } from '../helpers/hub.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { frozenClock } from '../helpers/clock.js';

afterEach(stopAllHubs);

const json = { 'content-type': 'application/json' };
const post = (hub: TestHub, path: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`${hub.httpUrl}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
const cookieOf = (response: Response) => response.headers.getSetCookie()[0]!.split(';')[0]!;

/** Every /api route but the public sign-in ones, with a body that would otherwise be valid. */
const PROTECTED: [string, string, object?][] = [
  ['GET', '/api/health'],
  ['GET', '/api/devices'],
  ['GET', '/api/devices/x'],
  ['PATCH', '/api/devices/x', { name: 'y' }],
  ['DELETE', '/api/devices/x'],
  ['POST', '/api/devices/x/commands', { on: true }],
  ['GET', '/api/devices/x/commands'],
  ['GET', '/api/devices/x/messages'],
  ['GET', '/api/devices/x/messages/live'],
  ['GET', '/api/devices/x/history'],
  ['GET', '/api/rooms'],
  ['POST', '/api/rooms', { name: 'Kitchen' }],
  ['PATCH', '/api/rooms/x', { name: 'Kitchen' }],
  ['DELETE', '/api/rooms/x'],
  ['GET', '/api/events'],
  ['GET', '/api/events/poll?timeout=0'],
  ['GET', '/api/auth/tokens'],
  ['POST', '/api/auth/tokens', { name: 'script' }],
  ['DELETE', '/api/auth/tokens/x'],
  ['POST', '/api/auth/logout', {}],
  ['GET', '/api/users'],
  ['POST', '/api/users', { username: 'ann', password: 'long enough', role: 'member' }],
  ['DELETE', '/api/users/x'],
  ['PATCH', '/api/users/x', { role: 'viewer' }],
  ['POST', '/api/users/x/owner', { password: 'long enough' }],
  ['POST', '/api/auth/password', { current: 'long enough', password: 'long enough' }],
  ['GET', '/api/auth/sessions'],
  ['DELETE', '/api/auth/sessions'],
  ['DELETE', '/api/auth/sessions/x'],
  ['GET', '/api/mqtt/credentials'],
  ['POST', '/api/mqtt/credentials', { name: 'plug' }],
  ['DELETE', '/api/mqtt/credentials/x'],
];

async function request(hub: TestHub, [method, path, body]: [string, string, object?], headers: Record<string, string> = {}) {
  return fetch(`${hub.httpUrl}${path}`, { method, headers: body ? { ...json, ...headers } : headers, ...(body ? { body: JSON.stringify(body) } : {}) });
}

describe('people and their credentials', () => {
  it('admits nobody on a fresh hub until the owner is created at onboarding', async () => {
    const hub = await startHub({ owner: false });
    expect(await (await fetch(`${hub.httpUrl}/api/auth/status`)).json()).toStrictEqual({ onboarded: false, user: null });
    expect((await fetch(`${hub.httpUrl}/api/devices`)).status).toBe(401);

    const created = await post(hub, '/api/auth/onboarding', { username: 'alex', password: 'a long secret', setupCode: hub.setupCode() });
    expect(created.status).toBe(201);
    expect(await created.json()).toStrictEqual({ id: expect.any(String), username: 'alex', role: 'owner', createdAt: expect.any(Number) });
    const setCookie = created.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^hearth_session=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/);

    const cookie = cookieOf(created);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie } })).status).toBe(200);
    expect(await (await fetch(`${hub.httpUrl}/api/auth/status`, { headers: { cookie } })).json()).toMatchObject({ onboarded: true, user: { username: 'alex' } });
    // Onboarding happens once: afterwards nobody can make themselves owner.
    expect((await post(hub, '/api/auth/onboarding', { username: 'mallory', password: 'a long secret', setupCode: 'ABCDE-FGHJK' })).status).toBe(409);
    expect(hub.setupCode()).toBe(null);
  });

  it.each(PROTECTED)('refuses %s %s without credentials, with a bad token and with a revoked one', async (method, path, body) => {
    const hub = await startHub();
    const route: [string, string, object?] = [method, path, body];
    const none = await request(hub, route);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'HEARTH_UNAUTHENTICATED' });
    expect((await request(hub, route, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await request(hub, route, { cookie: 'hearth_session=forged' })).status).toBe(401);

    const made = (await (await hub.fetch(`${hub.httpUrl}/api/auth/tokens`, { method: 'POST', headers: json, body: '{"name":"script"}' })).json()) as { token: { id: string }; secret: string };
    expect((await hub.fetch(`${hub.httpUrl}/api/auth/tokens/${made.token.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(hub, route, { authorization: `Bearer ${made.secret}` })).status).toBe(401);
  });

  it.each(['/%61pi/devices', '/api/%64evices', '/api//devices', '/api/devices/', '/api/devices%2F', '/api/./devices'])('refuses %s without credentials too', async (path) => {
    const hub = await startHub();
    const response = await fetch(`${hub.httpUrl}${path}`);
    expect([401, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('"devices"');
  });

  it('refuses the live WebSocket without credentials, and a cross-origin upgrade even with a session', async () => {
    const hub = await startHub();
    const cookie = `hearth_session=${hub.ownerSession()}`;
    const host = new URL(hub.httpUrl).host;
    expect(await upgradeStatus(hub.wsUrl, {})).toBe(401);
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(hub.wsUrl, { ...hub.headers, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: `http://${host}` })).toBe(101);
    // A change made with the cookie from another site's page is refused too.
    const forged = await fetch(`${hub.httpUrl}/api/rooms`, { method: 'POST', headers: { ...json, cookie, origin: 'http://evil.example' }, body: '{"name":"Attic"}' });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 'HEARTH_CROSS_ORIGIN' });
  });

  it('logs in with the right password, refuses a wrong one and backs off after repeated failures', async () => {
    const hub = await startHub({ clock: frozenClock });
    const ok = await post(hub, '/api/auth/login', TEST_OWNER);
    expect(ok.status).toBe(200);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: cookieOf(ok) } })).status).toBe(200);

    const wrong = { username: TEST_OWNER.username, password: 'guess' };
    for (let i = 0; i < 3; i++) {
      const refused = await post(hub, '/api/auth/login', wrong);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'HEARTH_BAD_CREDENTIALS', message: 'wrong user name or password' });
    }
    // Now locked out for a while, even with the right password.
    const locked = await post(hub, '/api/auth/login', TEST_OWNER);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await locked.json()).toMatchObject({ code: 'HEARTH_TOO_MANY_ATTEMPTS' });
    // An unknown name gets the same answer as a wrong password.
    const unknown = await post(hub, '/api/auth/login', { username: 'nobody', password: 'guess' }, { 'x-forwarded-for': '10.0.0.9' });
    expect([401, 429]).toContain(unknown.status);
  });

  it('logs out: the session cookie stops working', async () => {
    const hub = await startHub();
    const cookie = cookieOf(await post(hub, '/api/auth/login', TEST_OWNER));
    const out = await fetch(`${hub.httpUrl}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^hearth_session=;/);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie } })).status).toBe(401);
  });

  it('lets a household member control devices but not change settings, and a viewer only look', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    const watcher = await LiveClient.connect(hub.wsUrl, hub.headers);
    await obedientSwitch(device, 'sw1');
    await watcher.next('device', (m) => m.device.id === 'sw1');
    await watcher.next('availability', (m) => m.id === 'sw1' && m.online);

    const signIn = async (username: string, role: string) => {
      expect((await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ username, password: 'long enough', role }) })).status).toBe(201);
      return { cookie: cookieOf(await post(hub, '/api/auth/login', { username, password: 'long enough' })) };
    };
    const member = await signIn('sam', 'member');
    const viewer = await signIn('vic', 'viewer');

    expect((await post(hub, '/api/devices/sw1/commands?wait=true', { on: true }, member)).status).toBe(200);
    expect((await fetch(`${hub.httpUrl}/api/devices/sw1`, { method: 'PATCH', headers: { ...json, ...member }, body: '{"name":"x"}' })).status).toBe(403);
    expect((await fetch(`${hub.httpUrl}/api/users`, { headers: member })).status).toBe(403);

    expect((await fetch(`${hub.httpUrl}/api/devices/sw1`, { headers: viewer })).status).toBe(200);
    const refused = await post(hub, '/api/devices/sw1/commands', { on: false }, viewer);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'HEARTH_FORBIDDEN', message: "the role 'viewer' may not control devices" });
    const socket = await LiveClient.connect(hub.wsUrl, viewer);
    await socket.next('snapshot');
    socket.send({ type: 'command', ref: 'r1', id: 'sw1', command: { on: false } });
    expect(await socket.next('error')).toStrictEqual({ type: 'error', ref: 'r1', code: 'FORBIDDEN', message: 'this account may not control devices' });
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/sw1`).then((r) => r.json()) as { state: { on: boolean } }).state.on).toBe(true);
  });

  it('removes a user together with their sessions and tokens, and never the owner', async () => {
    const hub = await startHub();
    const made = (await (await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'kim', password: 'long enough', role: 'admin' }) })).json()) as { id: string };
    const kim = { cookie: cookieOf(await post(hub, '/api/auth/login', { username: 'kim', password: 'long enough' })) };
    const token = ((await (await post(hub, '/api/auth/tokens', { name: 'kim script' }, kim)).json()) as { secret: string }).secret;
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    expect((await hub.fetch(`${hub.httpUrl}/api/users/${made.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: kim })).status).toBe(401);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const owner = ((await (await hub.fetch(`${hub.httpUrl}/api/users`)).json()) as { id: string; role: string }[]).find((u) => u.role === 'owner')!;
    expect((await hub.fetch(`${hub.httpUrl}/api/users/${owner.id}`, { method: 'DELETE' })).status).toBe(409);
  });

  it('stores passwords as salted scrypt hashes and tokens only as digests', async () => {
    const hub = await startHub();
    const { secret } = (await (await post(hub, '/api/auth/tokens', { name: 'ci' }, hub.headers)).json()) as { secret: string };
    await hub.close();
    const db = new Database(join(hub.dataDir, 'hearth.db'), { readonly: true });
    const dump = JSON.stringify([db.prepare('SELECT * FROM users').all(), db.prepare('SELECT * FROM api_tokens').all(), db.prepare('SELECT * FROM sessions').all()]);
    const { password_hash: hash } = db.prepare('SELECT password_hash FROM users').get() as { password_hash: string };
    db.close();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(dump).not.toContain(TEST_OWNER.password);
    expect(dump).not.toContain(secret);
  });

  it('refuses bad sign-in bodies with a message saying what is wrong', async () => {
    const hub = await startHub({ owner: false });
    const short = await post(hub, '/api/auth/onboarding', { username: 'alex', password: 'short', setupCode: hub.setupCode() });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toContain('password');
    expect((await post(hub, '/api/auth/onboarding', { username: 'a/b', password: 'a long secret', setupCode: hub.setupCode() })).status).toBe(400);
    expect((await post(hub, '/api/auth/onboarding', { username: 'alex', password: 'a long secret' })).status).toBe(400);
    expect((await post(hub, '/api/auth/login', { username: 'alex', password: 'x', admin: true })).status).toBe(400);
  });

  it('writes an audit line for a failed login and a cross-origin attempt, with who and from where', async () => {
    const logs = new LogTap();
    const hub = await startHub({ logs });
    await post(hub, '/api/auth/login', { username: 'owner', password: 'guess' });
    expect(await logs.next('login failed')).toMatchObject({ audit: true, user: 'owner', ip: '127.0.0.1' });
    await fetch(`${hub.httpUrl}/api/rooms`, { method: 'POST', headers: { ...json, cookie: `hearth_session=${hub.ownerSession()}`, origin: 'http://evil.example' }, body: '{"name":"x"}' });
    expect(await logs.next('cross-origin request refused')).toMatchObject({ audit: true, origin: 'http://evil.example', ip: '127.0.0.1' });
  });
});
