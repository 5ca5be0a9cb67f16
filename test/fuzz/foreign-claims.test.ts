import fc from 'fast-check';
import { LAMP_CONFIG } from '../helpers/lamp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { waitForEvent } from '../helpers/wait.js';
import { RUNS } from './runs.js';

afterEach(stopAllHubs);


/** Topics an announcement may name: the lamp's, the attacker's own, and others nobody owns. */
const topic = fc.oneof(
  fc.constantFrom('hearth/lamp/state', 'hearth/lamp/set', 'hearth/lamp/availability', 'hearth/lamp/brightness/set', 'hearth/evil/a', 'hearth/evil/b/set', 'other/x'),
  fc.stringMatching(/^hearth\/(lamp|evil)\/[a-z]{1,4}$/),
);
/** Identifiers: the lamp's own (as Home Assistant would slug it, or not), and fresh ones. */
const identifier = fc.oneof(fc.constantFrom('lamp-0001', 'LAMP-0001', 'hearth_lamp-0001', 'lamp_light'), fc.stringMatching(/^[a-z0-9-]{1,12}$/));

const claim = fc.record(
  {
    component: fc.constantFrom('light', 'switch', 'sensor', 'binary_sensor'),
    object: fc.stringMatching(/^[a-z]{1,6}$/),
    config: fc.record(
      {
        state_topic: topic,
        command_topic: topic,
        availability_topic: topic,
        unique_id: identifier,
        device: fc.record({ identifiers: fc.array(identifier, { minLength: 1, maxLength: 2 }), name: fc.string({ maxLength: 10 }) }, { requiredKeys: ['identifiers'] }),
        schema: fc.constant('json'),
      },
      { requiredKeys: ['state_topic'] },
    ),
  },
  { requiredKeys: ['component', 'object', 'config'] },
);

const topicsOf = (d: Device) => (d.source as { topics: Record<string, string[]> }).topics;

describe('discovery payloads claiming foreign identifiers and topics', () => {
  // The attacker may only use hearth/evil/# and its own discovery topics (the default ACL).
  it('never join the lamp nor let a device read or command the lamp\'s topics', async () => {
    const hub = await startHub({ mqttAnonymous: false });
    const lampCredential = hub.app.deviceCredentials.create('Lamp');
    const evilCredential = hub.app.deviceCredentials.create('Evil');
    const lamp = await connectMqtt(hub.mqttUrl, { username: lampCredential.username, password: lampCredential.password });
    await lamp.publishAsync('homeassistant/light/lamp/light/config', JSON.stringify(LAMP_CONFIG), { retain: true, qos: 1 });
    await settled(hub, () => hub.app.registry.get('lamp-0001') !== undefined);
    const before = hub.app.registry.get('lamp-0001')!;
    const evil = await connectMqtt(hub.mqttUrl, { username: evilCredential.username, password: evilCredential.password });

    let marker = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(claim, { minLength: 1, maxLength: 5 }), async (claims) => {
        for (const c of claims) await evil.publishAsync(`homeassistant/${c.component}/evil/${c.object}/config`, JSON.stringify(c.config), { qos: 1 });
        // One client's messages are handled in order: once this marker is a device, all above were read.
        const name = `marker ${++marker}`;
        await evil.publishAsync('homeassistant/sensor/evil/zz-marker/config', JSON.stringify({ state_topic: 'hearth/evil/m', unique_id: 'zz-marker', name }), { qos: 1 });
        await settled(hub, () => hub.app.registry.get('zz-marker')?.name === name);

        const now = hub.app.registry.get('lamp-0001')!;
        expect(topicsOf(now)).toStrictEqual(topicsOf(before));
        // What was refused shows on the lamp as such, and nothing else does.
        for (const problem of (now.source as { problems: string[] }).problems) expect(problem).toMatch(/^homeassistant\/[a-z_]+\/evil\/[a-z]+\/config: refused: /);
        expect(now.capabilities).toStrictEqual(before.capabilities);
        for (const device of hub.app.registry.list()) {
          if (device.id === 'lamp-0001') continue;
          const { state, command, availability } = topicsOf(device);
          expect([...state!, ...command!, ...availability!].filter((t) => !t.startsWith('hearth/evil/'))).toStrictEqual([]);
        }
      }),
      { ...RUNS, numRuns: Math.ceil(RUNS.numRuns / 20) },
    );
  });
});

async function settled(hub: TestHub, holds: () => boolean): Promise<void> {
  if (!holds()) await waitForEvent<unknown>((l) => hub.app.registry.subscribe(l), holds, 'the registry to catch up');
}
