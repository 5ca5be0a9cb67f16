import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { RUNS } from './runs.js';

afterEach(stopAllHubs);

/** Topics the hub reads: discovery of each convention, and a known device's state and availability. (Topics the broker itself refuses, such as a level named `__proto__`, close the connection: test/hub/mqtt covers them.) */
const TOPICS = [
  'homeassistant/light/fz/l1/config',
  'homeassistant/sensor/fz/s1/config',
  'tasmota/discovery/AABBCCDDEEFF/config',
  'tasmota/discovery/AABBCCDDEEFF/sensors',
  'homie/fz/$homie',
  'homie/fz/$nodes',
  'homie/5/fz/$description',
  'plain/sw1/state',
  'plain/sw1/status',
];

describe('device payloads under random bytes, through the broker', () => {
  it('refuses what it cannot read and keeps a real device working', async () => {
    const hub = await startHub();
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    const device = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(device, 'sw1');
    await live.next('availability', (m) => m.id === 'sw1' && m.online);
    const noisy = await connectMqtt(hub.mqttUrl);

    const message = fc.tuple(fc.constantFrom(...TOPICS), fc.oneof(fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), fc.json({ maxDepth: 3 }).map((j) => Buffer.from(j))));
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 10 }), async (messages) => {
        for (const [topic, payload] of messages) await noisy.publishAsync(topic, payload, { qos: 1 });
      }),
      { ...RUNS, numRuns: Math.ceil(RUNS.numRuns / 10) },
    );

    // Put the device back the way it announced itself, then command it.
    await obedientSwitch(device, 'sw1');
    const response = await hub.fetch(`${hub.httpUrl}/api/devices/sw1/commands?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true}' });
    expect(response.status).toBe(200);
    const health = (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { status: string; bridge: { rejectedPayloads: number; rejectedDiscovery: number } };
    expect(health.status).toBe('ok');
    expect(health.bridge.rejectedDiscovery + health.bridge.rejectedPayloads).toBeGreaterThan(0);
  });
});
