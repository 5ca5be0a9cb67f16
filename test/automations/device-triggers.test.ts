/**
 * Device triggers, modes and the loop guard, through a real hub and real MQTT devices, with
 * time moved by a fake clock. References: Home Assistant's state trigger `for:`
 * (https://www.home-assistant.io/docs/automation/trigger/#holding-a-state-or-attribute) and
 * automation modes (https://www.home-assistant.io/docs/automation/modes/; core tests
 * tests/components/automation/test_init.py, test_automation_restart / queued / parallel).
 */
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mode, Trace } from '../../hub/protocol/automations.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { announceMeter, connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { call, createAutomation, iso, nextRun, runs } from './helpers.js';

afterEach(stopAllHubs);

const MIN = 60_000;

/** A PIR sensor announced the way the demo home's does (Home Assistant discovery, device class motion). */
async function motionSensor(client: MqttClient, id: string): Promise<(motion: boolean) => Promise<void>> {
  const config = {
    name: 'Motion',
    state_topic: `plain/${id}/state`,
    availability_topic: `plain/${id}/status`,
    device_class: 'motion',
    value_template: '{{ value_json.occupancy }}',
    payload_on: true,
    payload_off: false,
    unique_id: `${id}_motion`,
    device: { identifiers: [id], name: `Sensor ${id}` },
  };
  await client.publishAsync(`homeassistant/binary_sensor/${id}/motion/config`, JSON.stringify(config), { retain: true, qos: 1 });
  await client.publishAsync(`plain/${id}/status`, 'online', { retain: true, qos: 1 });
  return (motion) => client.publishAsync(`plain/${id}/state`, JSON.stringify({ occupancy: motion }), { retain: true, qos: 1 }).then(() => undefined);
}

async function connectLive(hub: TestHub) {
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  return live;
}

describe('"stays for" triggers', () => {
  it('runs after no motion for 5 min, counting the minutes before a hub restart', async () => {
    const clock = new FakeClock('2026-02-01T20:00:00Z');
    const hub = await startHub({ automationClock: clock });
    let live = await connectLive(hub);
    const sensorClient = await connectMqtt(hub.mqttUrl);
    const motion = await motionSensor(sensorClient, 'hall');
    await motion(true);
    await live.next('state', (m) => m.id === 'hall' && m.state.motion === true);
    const automation = await createAutomation(hub, {
      name: 'Hall light off',
      triggers: [{ kind: 'state', device: 'hall', property: 'motion', to: false, forMs: 5 * MIN }],
      actions: [{ kind: 'notify', message: 'no motion for 5 min' }],
    });

    await motion(false);
    await live.next('state', (m) => m.id === 'hall' && m.state.motion === false);
    await clock.advance(3 * MIN);
    sensorClient.end(true);
    await hub.close();

    // Back 3 minutes into the hold: 2 more minutes, not 5, and only if still no motion.
    const later = new FakeClock(clock.now());
    const again = await startHub({ dataDir: hub.dataDir, automationClock: later });
    live = await connectLive(again);
    await later.advance(2 * MIN - 1000);
    expect((await call<unknown[]>(again, 'GET', '/api/notifications')).body).toStrictEqual([]);
    await later.advance(1000);
    const run = await nextRun(live, automation.id);
    expect([iso(run.startedAt), run.trigger.description, run.result]).toStrictEqual(['2026-02-01T20:05:00.000Z', 'hall motion became false for 5 min', 'done']);
  });

  it('starts over when motion comes back during the hold', async () => {
    const clock = new FakeClock('2026-02-01T20:00:00Z');
    const hub = await startHub({ automationClock: clock });
    const live = await connectLive(hub);
    const motion = await motionSensor(await connectMqtt(hub.mqttUrl), 'hall');
    await motion(true);
    await live.next('state', (m) => m.id === 'hall' && m.state.motion === true);
    const automation = await createAutomation(hub, {
      triggers: [{ kind: 'state', device: 'hall', property: 'motion', to: false, forMs: 5 * MIN }],
      actions: [{ kind: 'notify', message: 'quiet' }],
    });
    await motion(false);
    await live.next('state', (m) => m.id === 'hall' && m.state.motion === false);
    await clock.advance(4 * MIN);
    await motion(true);
    await live.next('state', (m) => m.id === 'hall' && m.state.motion === true);
    await motion(false);
    await live.next('state', (m) => m.id === 'hall' && m.state.motion === false);
    await clock.advance(4 * MIN);
    expect((await call<unknown[]>(hub, 'GET', '/api/notifications')).body).toStrictEqual([]);
    await clock.advance(1 * MIN);
    expect(iso((await nextRun(live, automation.id)).startedAt)).toBe('2026-02-01T20:09:00.000Z');
  });
});

describe('availability triggers', () => {
  it('runs once a device has been offline for a minute', async () => {
    const clock = new FakeClock('2026-02-01T20:00:00Z');
    const hub = await startHub({ automationClock: clock });
    const live = await connectLive(hub);
    const fridge = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(fridge, 'fridge');
    await live.next('availability', (m) => m.id === 'fridge' && m.online);
    const automation = await createAutomation(hub, {
      triggers: [{ kind: 'availability', device: 'fridge', online: false, forMs: MIN }],
      actions: [{ kind: 'notify', message: 'The fridge is offline' }],
    });
    await fridge.publishAsync('plain/fridge/status', 'offline', { retain: true, qos: 1 });
    await live.next('availability', (m) => m.id === 'fridge' && !m.online);
    await clock.advance(MIN);
    const run = await nextRun(live, automation.id);
    expect([run.trigger.description, iso(run.startedAt)]).toStrictEqual(['fridge went offline for 1 min', '2026-02-01T20:01:00.000Z']);
    const [note] = (await call<{ message: string; automation: string }[]>(hub, 'GET', '/api/notifications')).body;
    expect(note).toMatchObject({ message: 'The fridge is offline', automation: automation.id });
  });
});

describe('a numeric threshold', () => {
  it('fires when the reading crosses above, not on every reading above', async () => {
    const hub = await startHub({ automationClock: new FakeClock('2026-02-01T20:00:00Z') });
    const live = await connectLive(hub);
    const reading = await announceMeter(await connectMqtt(hub.mqttUrl), 'meter');
    const automation = await createAutomation(hub, {
      triggers: [{ kind: 'numeric', device: 'meter', property: 'power', above: 1000 }],
      conditions: [{ kind: 'numeric', device: 'meter', property: 'power', below: 5000 }],
      actions: [{ kind: 'notify', message: 'high load' }],
    });
    for (const watts of [500, 1500, 1800, 900, 6000]) {
      await reading(watts);
      await live.next('state', (m) => m.id === 'meter' && m.state.power === watts);
    }
    const [first, second] = (await runs(live, automation.id, 2)) as [Trace, Trace];
    expect([first.trigger.description, first.result]).toStrictEqual(['meter power 1500, above 1000', 'done']);
    // 6000 crossed again, but the condition (below 5000) stopped it; the trace says why.
    expect([second.trigger.description, second.result, second.conditions]).toStrictEqual([
      'meter power 6000, above 1000',
      'conditions-failed',
      [{ index: 0, kind: 'numeric', passed: false, detail: 'meter power is 6000, wanted below 5000' }],
    ]);
  });
});

/** Three readings while the first run waits a minute; the first `count` runs, in the order they ended. */
async function threeFirings(mode: Mode, count = 3) {
  const clock = new FakeClock('2026-02-01T20:00:00Z');
  const hub = await startHub({ automationClock: clock });
  const live = await connectLive(hub);
  const reading = await announceMeter(await connectMqtt(hub.mqttUrl), 'meter');
  const automation = await createAutomation(hub, {
    mode,
    triggers: [{ kind: 'state', device: 'meter', property: 'power' }],
    actions: [{ kind: 'delay', seconds: 60 }, { kind: 'notify', message: 'done' }],
  });
  for (const watts of [1, 2, 3]) {
    await reading(watts);
    // The hub has fired the trigger by the time it announces the reading.
    await live.next('state', (m) => m.id === 'meter' && m.state.power === watts);
  }
  await clock.advance(3 * MIN);
  const ended = await runs(live, automation.id, count);
  return { hub, automation, ended: ended.map((t) => [t.trigger.description, t.result, iso(t.startedAt), iso(t.endedAt)]) };
}

describe('modes, when a trigger fires during a run', () => {
  it('single: ignores triggers while it runs', async () => {
    const { hub, automation, ended } = await threeFirings('single', 1);
    expect(ended).toStrictEqual([['meter power became 1', 'done', '2026-02-01T20:00:00.000Z', '2026-02-01T20:01:00.000Z']]);
    // All three minutes have passed: had another run started, it would have ended too.
    expect((await call<unknown[]>(hub, 'GET', `/api/automations/${automation.id}/traces`)).body).toHaveLength(1);
  });

  it('queued: runs one after the other, in the order they fired', async () => {
    const { ended } = await threeFirings('queued');
    expect(ended).toStrictEqual([
      ['meter power became 1', 'done', '2026-02-01T20:00:00.000Z', '2026-02-01T20:01:00.000Z'],
      ['meter power became 2', 'done', '2026-02-01T20:01:00.000Z', '2026-02-01T20:02:00.000Z'],
      ['meter power became 3', 'done', '2026-02-01T20:02:00.000Z', '2026-02-01T20:03:00.000Z'],
    ]);
  });

  it('restart: stops the running one and starts again', async () => {
    const { ended } = await threeFirings('restart');
    expect(ended).toStrictEqual([
      ['meter power became 1', 'cancelled', '2026-02-01T20:00:00.000Z', '2026-02-01T20:00:00.000Z'],
      ['meter power became 2', 'cancelled', '2026-02-01T20:00:00.000Z', '2026-02-01T20:00:00.000Z'],
      ['meter power became 3', 'done', '2026-02-01T20:00:00.000Z', '2026-02-01T20:01:00.000Z'],
    ]);
  });

  it('parallel: runs all at once', async () => {
    const { ended } = await threeFirings('parallel');
    expect(ended.map(([, result, , end]) => [result, end])).toStrictEqual(Array(3).fill(['done', '2026-02-01T20:01:00.000Z']));
  });
});
