import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { RUNS } from './runs.js';

/**
 * Property-based: random and adversarial bodies at every REST route that takes one, and
 * random frames at the WebSocket. Each must get a clear refusal (4xx, or an `error`
 * message), never a 5xx or a dropped connection, and the hub must keep serving.
 */

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  const device = await connectMqtt(hub.mqttUrl);
  await obedientSwitch(device, 'sw1');
  await live.next('availability', (m) => m.id === 'sw1' && m.online);
  live.close();
});
afterAll(stopAllHubs);

const API_RUNS = { ...RUNS, numRuns: Math.ceil(RUNS.numRuns / 5) };

/** JSON a confused or hostile client might send: any value, or objects with the keys we read. */
const KEYS = ['on', 'brightness', 'colorTemp', 'color', 'effect', 'name', 'room', 'favourite', 'position', 'username', 'password', 'role', '__proto__', 'constructor'];
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.constantFrom(...KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
).map((value) => JSON.stringify(value));
const rawBody = fc.oneof(body, fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', '{', '{"on":tru}', '[]'.repeat(2000), '{"a":'.repeat(600)));

const ROUTES: [string, string][] = [
  ['POST', '/api/devices/sw1/commands'],
  ['POST', '/api/devices/sw1/commands?wait=true'],
  ['PATCH', '/api/devices/sw1'],
  ['POST', '/api/rooms'],
  ['POST', '/api/automations'],
  ['POST', '/api/automations/import'],
  ['POST', '/api/scenes'],
  ['PATCH', '/api/settings/home'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/onboarding'],
  ['POST', '/api/auth/tokens'],
  ['POST', '/api/users'],
];

describe('the API under random input', () => {
  it.each(ROUTES)('answers %s %s with a clear status, never a server error', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (text) => {
        const response = await hub.fetch(`${hub.httpUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: text });
        const answer = (await response.json()) as { message?: string };
        expect(response.status, `${method} ${path} ${text.slice(0, 100)}: ${answer.message}`).toBeLessThan(500);
        if (response.status >= 400) expect(answer.message).toEqual(expect.any(String));
      }),
      API_RUNS,
    );
    expect((await hub.fetch(`${hub.httpUrl}/api/health`)).status).toBe(200);
  });

  it('answers every random WebSocket frame and keeps the socket open', async () => {
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const frame = fc.oneof(
      rawBody,
      fc.record({ type: fc.constant('command'), ref: fc.string({ maxLength: 20 }), id: fc.oneof(fc.constant('sw1'), fc.string()), command: fc.jsonValue({ maxDepth: 2 }) }).map((m) => JSON.stringify(m)),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        // A tagged frame after each random one: its answer proves the random one was answered or ignored, not fatal.
        live.send(text);
        const ref = `probe-${++n}`;
        live.send({ type: 'command', ref, id: 'nope', command: { on: true } });
        const answer = await live.next('error', (m) => m.ref === ref);
        expect(answer.code).toBe('DEVICE_NOT_FOUND');
      }),
      API_RUNS,
    );
    expect(live.socket.readyState).toBe(live.socket.OPEN);
    live.close();
  });
});
