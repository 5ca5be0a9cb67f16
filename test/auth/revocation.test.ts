import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_ROLE_CHANGED, CLOSE_SIGNED_OUT } from '../../hub/protocol/messages.js';
import { LiveClient } from '../helpers/live-client.js';
import { EVENT_TIMEOUT_MS } from '../helpers/wait.js';
import { startHub, stopAllHubs, TEST_OWNER, type TestHub } from '../helpers/hub.js';

afterEach(stopAllHubs);

const json = { 'content-type': 'application/json' };

/** How the socket was closed, with the milliseconds from `since` (a figure, never asserted). */
function closed(socket: WebSocket, since: () => number): Promise<{ code: number; afterMs: number }> {
  return new Promise((resolve) => socket.once('close', (code) => resolve({ code, afterMs: Date.now() - since() })));
}

/** A real Server-Sent Events request; resolves when the hub ends the response. */
function followEvents(url: string, headers: Record<string, string>): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { ...headers, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE answered ${res.statusCode}`));
      res.resume();
      // The first bytes (the snapshot) say the stream is open and registered.
      res.once('data', () => resolve({ ended: new Promise((done) => res.once('end', done).once('close', done)) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function newUser(hub: TestHub, username: string, role: 'admin' | 'member' | 'viewer') {
  const created = await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ username, password: 'a long secret', role }) });
  const user = (await created.json()) as { id: string };
  const login = await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username, password: 'a long secret' }) });
  return { id: user.id, cookie: login.headers.getSetCookie()[0]!.split(';')[0]! };
}

async function newToken(hub: TestHub) {
  const made = await hub.fetch(`${hub.httpUrl}/api/auth/tokens`, { method: 'POST', headers: json, body: '{"name":"script"}' });
  const { token, secret } = (await made.json()) as { token: { id: string }; secret: string };
  return { id: token.id, headers: { authorization: `Bearer ${secret}` } };
}

describe('revocation reaches open connections', () => {
  // Found in a review: a WebSocket opened before the user was deleted still had a command
  // acknowledged 182 s later, and SSE kept streaming. RFC 6455 7.4.2 leaves 4000-4999 to us.
  it('closes the WebSocket, event stream and long poll of a revoked token at once, with 4401', async () => {
    const hub = await startHub();
    const token = await newToken(hub);
    const live = await LiveClient.connect(hub.wsUrl, token.headers);
    const { seq } = await live.next('snapshot');
    const events = await followEvents(`${hub.httpUrl}/api/events`, token.headers);
    const poll = fetch(`${hub.httpUrl}/api/events/poll?after=${seq}&timeout=120`, { headers: token.headers });
    await waitForStreams(hub, 3);

    let revokedAt = 0;
    const socketClosed = closed(live.socket, () => revokedAt);
    revokedAt = Date.now();
    expect((await hub.fetch(`${hub.httpUrl}/api/auth/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(204);

    expect((await socketClosed).code).toBe(CLOSE_SIGNED_OUT);
    await events.ended;
    const answer = await poll;
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ code: 'HEARTH_UNAUTHENTICATED' });
    expect(hub.app.auth.streams.size).toBe(0);
  });

  it("closes a deleted user's WebSocket before another command can be taken", async () => {
    const hub = await startHub();
    const ann = await newUser(hub, 'ann', 'member');
    const live = await LiveClient.connect(hub.wsUrl, { cookie: ann.cookie });
    await live.next('snapshot');
    const socketClosed = closed(live.socket, () => 0);
    expect((await hub.fetch(`${hub.httpUrl}/api/users/${ann.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await socketClosed).code).toBe(CLOSE_SIGNED_OUT);
    expect(live.socket.readyState).toBe(WebSocket.CLOSED);
  });

  it('closes only the session that logged out, and every other one on sign out everywhere', async () => {
    const hub = await startHub();
    const login = () => fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify(TEST_OWNER) }).then((r) => r.headers.getSetCookie()[0]!.split(';')[0]!);
    const [phone, laptop, tablet] = [await login(), await login(), await login()];
    const sockets = await Promise.all([phone, laptop, tablet].map((cookie) => LiveClient.connect(hub.wsUrl, { cookie })));
    await Promise.all(sockets.map((s) => s.next('snapshot')));

    const phoneClosed = closed(sockets[0]!.socket, () => 0);
    expect((await fetch(`${hub.httpUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: phone } })).status).toBe(204);
    expect((await phoneClosed).code).toBe(CLOSE_SIGNED_OUT);
    expect(sockets[1]!.socket.readyState).toBe(WebSocket.OPEN);

    // From the laptop: the tablet is signed out, the laptop stays.
    const listed = (await (await fetch(`${hub.httpUrl}/api/auth/sessions`, { headers: { cookie: laptop } })).json()) as { id: string; current: boolean }[];
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    const tabletClosed = closed(sockets[2]!.socket, () => 0);
    expect((await fetch(`${hub.httpUrl}/api/auth/sessions`, { method: 'DELETE', headers: { cookie: laptop } })).status).toBe(204);
    expect((await tabletClosed).code).toBe(CLOSE_SIGNED_OUT);
    expect(sockets[1]!.socket.readyState).toBe(WebSocket.OPEN);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: tablet } })).status).toBe(401);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: laptop } })).status).toBe(200);
  });

  it('closes the streams of a user whose role is lowered with 4403; the new socket may not command', async () => {
    const hub = await startHub();
    const ann = await newUser(hub, 'ann', 'member');
    const live = await LiveClient.connect(hub.wsUrl, { cookie: ann.cookie });
    await live.next('snapshot');
    const socketClosed = closed(live.socket, () => 0);
    const lowered = await hub.fetch(`${hub.httpUrl}/api/users/${ann.id}`, { method: 'PATCH', headers: json, body: '{"role":"viewer"}' });
    expect(await lowered.json()).toMatchObject({ username: 'ann', role: 'viewer' });
    expect((await socketClosed).code).toBe(CLOSE_ROLE_CHANGED);

    const again = await LiveClient.connect(hub.wsUrl, { cookie: ann.cookie });
    await again.next('snapshot');
    again.send({ type: 'command', ref: 'r1', id: 'lamp', command: { on: true } });
    expect(await again.next('error')).toStrictEqual({ type: 'error', ref: 'r1', code: 'FORBIDDEN', message: 'this account may not control devices' });
  });
});

/** The streams register once their start is sent; wait until the hub holds `count` of them. */
async function waitForStreams(hub: TestHub, count: number): Promise<void> {
  // The long poll registers when it starts waiting, a few turns of the loop after its request is read.
  const deadline = Date.now() + EVENT_TIMEOUT_MS;
  while (hub.app.auth.streams.size < count && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(hub.app.auth.streams.size).toBe(count);
}

describe('account tools', () => {
  it('changes a password with the current one; other sessions end, this one stays', async () => {
    const hub = await startHub();
    const ann = await newUser(hub, 'ann', 'member');
    const login = (password: string) => fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'ann', password }) });
    const otherCookie = (await login('a long secret')).headers.getSetCookie()[0]!.split(';')[0]!;
    const change = (current: string) =>
      fetch(`${hub.httpUrl}/api/auth/password`, { method: 'POST', headers: { ...json, cookie: ann.cookie }, body: JSON.stringify({ current, password: 'a new long secret' }) });
    const wrong = await change('not it');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'HEARTH_WRONG_PASSWORD' });
    expect((await change('a long secret')).status).toBe(204);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: ann.cookie } })).status).toBe(200);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: otherCookie } })).status).toBe(401);
    expect((await login('a new long secret')).status).toBe(200);
  });

  it('lists my sessions with where they came from, and ends one by its id', async () => {
    const hub = await startHub();
    const ann = await newUser(hub, 'ann', 'viewer');
    const second = await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: { ...json, 'user-agent': 'Phone' }, body: JSON.stringify({ username: 'ann', password: 'a long secret' }) });
    const phone = second.headers.getSetCookie()[0]!.split(';')[0]!;
    const sessions = (await (await fetch(`${hub.httpUrl}/api/auth/sessions`, { headers: { cookie: ann.cookie } })).json()) as { id: string; current: boolean; userAgent: string | null; address: string }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.userAgent === 'Phone')).toMatchObject({ current: false, address: '127.0.0.1' });
    const phoneId = sessions.find((s) => s.userAgent === 'Phone')!.id;
    expect((await fetch(`${hub.httpUrl}/api/auth/sessions/${phoneId}`, { method: 'DELETE', headers: { cookie: ann.cookie } })).status).toBe(204);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: phone } })).status).toBe(401);
    // Someone else's session id is not mine to end.
    const ownerSessions = (await (await hub.fetch(`${hub.httpUrl}/api/auth/sessions`)).json()) as unknown[];
    expect(ownerSessions).toStrictEqual([]);
    expect((await fetch(`${hub.httpUrl}/api/auth/sessions/${sessions.find((s) => s.current)!.id}`, { method: 'DELETE', headers: hub.headers })).status).toBe(404);
  });

  it('hands the owner role over, with the owner\'s password; the old owner becomes an admin', async () => {
    const hub = await startHub();
    const sam = await newUser(hub, 'sam', 'admin');
    const ownerLive = await LiveClient.connect(hub.wsUrl, hub.headers);
    await ownerLive.next('snapshot');
    const byAdmin = await fetch(`${hub.httpUrl}/api/users/${sam.id}/owner`, { method: 'POST', headers: { ...json, cookie: sam.cookie }, body: JSON.stringify({ password: 'a long secret' }) });
    expect(byAdmin.status).toBe(403);
    const wrong = await hub.fetch(`${hub.httpUrl}/api/users/${sam.id}/owner`, { method: 'POST', headers: json, body: JSON.stringify({ password: 'nope' }) });
    expect(wrong.status).toBe(403);
    const closedWith = closed(ownerLive.socket, () => 0);
    const handed = await hub.fetch(`${hub.httpUrl}/api/users/${sam.id}/owner`, { method: 'POST', headers: json, body: JSON.stringify({ password: TEST_OWNER.password }) });
    expect(await handed.json()).toMatchObject({ username: 'sam', role: 'owner' });
    expect((await closedWith).code).toBe(CLOSE_ROLE_CHANGED);
    const users = (await (await hub.fetch(`${hub.httpUrl}/api/users`)).json()) as { username: string; role: string }[];
    expect(Object.fromEntries(users.map((u) => [u.username, u.role]))).toStrictEqual({ owner: 'admin', sam: 'owner' });
    // The new owner cannot be demoted or removed by the old one.
    expect((await hub.fetch(`${hub.httpUrl}/api/users/${sam.id}`, { method: 'PATCH', headers: json, body: '{"role":"viewer"}' })).status).toBe(409);
  });
});
