import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../hub/auth/throttle.js';
import { startHub, stopAllHubs, TEST_OWNER, type TestHub } from '../helpers/hub.js';
import { frozenClock } from '../helpers/clock.js';

afterEach(stopAllHubs);

/**
 * A login from a loopback address of our choice (Linux routes all of 127.0.0.0/8 to lo), so one
 * test can be the attacker at 127.0.0.2 and the owner at 127.0.0.3.
 */
function loginFrom(hub: TestHub, localAddress: string, body: object): Promise<{ status: number; retryAfter: string | undefined }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${hub.httpUrl}/api/auth/login`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.once('error', reject);
    req.end(text);
  });
}

const WRONG = { username: TEST_OWNER.username, password: 'not the password' };

describe('the login throttle', () => {
  // Found in a review: a burst of wrong passwords from one address locked the owner's name
  // for 15 minutes, and the owner, from another address with the right password, got 429.
  // OWASP's Authentication Cheat Sheet: lockouts keyed on the account let anyone deny it.
  it('never refuses the right password from another address, however an attacker guesses', async () => {
    const hub = await startHub({ clock: frozenClock });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push((await loginFrom(hub, '127.0.0.2', WRONG)).status);
    expect(answers).toStrictEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    // The name is under attack: a wrong password from elsewhere hears its wait...
    const elsewhere = await loginFrom(hub, '127.0.0.4', WRONG);
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.retryAfter)).toBeGreaterThanOrEqual(1);
    // ...and the right one gets in.
    expect((await loginFrom(hub, '127.0.0.3', TEST_OWNER)).status).toBe(200);
  });

  // Found in a review: 60 parallel logins had 33 passwords checked, against 3 free tries.
  it('checks exactly the free tries of 60 parallel logins from one address', async () => {
    // A frozen clock: on a loaded machine the first wait (1 s) could run out before the last
    // request arrives, and a later try would then rightly be checked.
    const hub = await startHub({ clock: frozenClock });
    const statuses = await Promise.all(Array.from({ length: 60 }, () => loginFrom(hub, '127.0.0.5', WRONG).then((a) => a.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(57);
  });

  it('takes a try at once and doubles the wait past the free tries, up to the cap', () => {
    let now = 0;
    const throttle = new LoginThrottle({ freeAttempts: 2, baseDelayMs: 1000, maxDelayMs: 4000 }, () => now);
    expect([throttle.take('a'), throttle.take('a'), throttle.take('a')]).toStrictEqual([0, 0, 1000]);
    now = 1000;
    expect(throttle.take('a')).toBe(0);
    expect(throttle.waitMs(['a'])).toBe(2000);
    now = 3000;
    throttle.take('a');
    now = 7000;
    throttle.take('a');
    expect(throttle.waitMs(['a'])).toBe(4000);
    throttle.succeed(['a']);
    expect(throttle.take('a')).toBe(0);
  });
});
