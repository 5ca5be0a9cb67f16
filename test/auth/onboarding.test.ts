import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllHubProcesses, spawnHub } from '../helpers/hub-process.js';
import { newDataDir, startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { frozenClock } from '../helpers/clock.js';

afterEach(async () => {
  killAllHubProcesses();
  await stopAllHubs();
});

const OWNER = { username: 'alex', password: 'a long secret' };

/** A request with a Host header of our choosing, as a browser sends after DNS rebinding. */
function requestAs(hub: TestHub, host: string, method: string, path: string, body?: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = body ? JSON.stringify(body) : '';
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${hub.httpUrl}${path}`, { method, headers: { host, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}) } }, (res) => {
      let data = '';
      res.on('data', (chunk: Buffer) => (data += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, json: data.startsWith('{') ? (JSON.parse(data) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

describe('claiming an unclaimed hub', () => {
  // Found in a review: any address could create the owner of an unclaimed hub. Jupyter asks for
  // the token it prints at start (jupyter-server's identity provider) for the same reason.
  it('needs the setup code the hub printed, refused with a reason when wrong, and throttled', async () => {
    // A frozen clock: the first wait (1 s) must not run out on a loaded machine before the fourth try.
    const hub = await startHub({ owner: false, clock: frozenClock });
    const code = hub.setupCode()!;
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    const host = new URL(hub.httpUrl).host;
    const wrong = await requestAs(hub, host, 'POST', '/api/auth/onboarding', { ...OWNER, setupCode: 'AAAAA-AAAAA' });
    expect(wrong).toMatchObject({ status: 403, json: { code: 'HEARTH_BAD_SETUP_CODE' } });
    expect((await requestAs(hub, host, 'POST', '/api/auth/onboarding', { ...OWNER, setupCode: 'BBBBB-BBBBB' })).status).toBe(403);
    expect((await requestAs(hub, host, 'POST', '/api/auth/onboarding', { ...OWNER, setupCode: 'CCCCC-CCCCC' })).status).toBe(403);
    // Three wrong tries from this address: the fourth waits, right code or not.
    expect((await requestAs(hub, host, 'POST', '/api/auth/onboarding', { ...OWNER, setupCode: code })).status).toBe(429);
    expect((await hub.fetch(`${hub.httpUrl}/api/auth/status`).then((r) => r.json()))).toStrictEqual({ onboarded: false, user: null });
  });

  it('takes the code in any case and spacing, once', async () => {
    const hub = await startHub({ owner: false });
    const typed = ` ${hub.setupCode()!.toLowerCase().replace('-', ' ')} `;
    const host = new URL(hub.httpUrl).host;
    expect((await requestAs(hub, host, 'POST', '/api/auth/onboarding', { ...OWNER, setupCode: typed })).status).toBe(201);
    expect((await requestAs(hub, host, 'POST', '/api/auth/onboarding', { ...OWNER, setupCode: typed })).status).toBe(409);
  });

  // The request the review sent: DNS rebinding gives the attacker's name as Host.
  it.each([
    ['POST', '/api/auth/onboarding'],
    ['GET', '/api/auth/status'],
    ['GET', '/'],
  ])('refuses %s %s for a host name that is not the hub\'s with 421', async (method, path) => {
    const hub = await startHub({ owner: false });
    const answer = await requestAs(hub, 'attacker.example:8080', method, path, method === 'POST' ? { ...OWNER, setupCode: hub.setupCode() } : undefined);
    expect(answer.status).toBe(421);
    if (path.startsWith('/api')) expect(answer.json).toMatchObject({ code: 'HEARTH_UNKNOWN_HOST' });
    expect(hub.app.auth.accounts.hasUsers()).toBe(false);
  });

  it('answers to its addresses, localhost and the names given with --public-host', async () => {
    const hub = await startHub({ owner: false, config: { publicHosts: ['hearth.example'] } });
    for (const host of ['127.0.0.1', 'localhost:8080', '[::1]:8080', '192.168.1.20', 'hearth.example', 'HEARTH.example:443']) {
      expect((await requestAs(hub, host, 'GET', '/api/auth/status')).status, host).toBe(200);
    }
    expect((await requestAs(hub, 'hearth.example.attacker.example', 'GET', '/api/auth/status')).status).toBe(421);
  });

  it('prints the setup code in the terminal at the first start, as `npm start` shows a newcomer', async () => {
    // spawnHub onboards with the code it reads from the hub's output, as a newcomer would.
    const dataDir = newDataDir();
    const first = await spawnHub(['--data-dir', dataDir]);
    expect((await first.fetch(`${first.httpUrl}/api/auth/status`).then((r) => r.json()))).toMatchObject({ onboarded: true, user: { role: 'owner' } });
  });
});
