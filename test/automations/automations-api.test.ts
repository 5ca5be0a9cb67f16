/**
 * Automations as stored things: the loop guard, the history of edits, enabling, export and
 * import, and refusals of bad input. Home Assistant has no loop guard of its own (its
 * automations can set each other off without end); Hearth stops and flags such an automation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Automation, AutomationDefinition } from '../../hub/protocol/automations.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { call, createAutomation, runs } from './helpers.js';

afterEach(stopAllHubs);

const NOTIFY: AutomationDefinition = {
  name: 'Hello',
  mode: 'single',
  triggers: [{ kind: 'interval', everySeconds: 60 }],
  conditions: [{ kind: 'weekday', days: ['sun'] }],
  actions: [{ kind: 'notify', message: 'hello' }],
};

describe('the loop guard', () => {
  it('stops and flags an automation that keeps setting itself off', async () => {
    const hub = await startHub({ automationClock: new FakeClock('2026-02-01T20:00:00Z'), config: { automationLoopLimit: 5 } });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const lamp = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(lamp, 'lamp');
    await live.next('availability', (m) => m.id === 'lamp' && m.online);
    // Each run switches the lamp off and on again, and each change starts another run.
    const automation = await createAutomation(hub, {
      name: 'Flicker',
      mode: 'queued',
      triggers: [{ kind: 'state', device: 'lamp', property: 'on' }],
      actions: [{ kind: 'command', device: 'lamp', command: { on: false } }, { kind: 'command', device: 'lamp', command: { on: true } }],
    });
    await lamp.publishAsync('plain/lamp/state', 'ON');

    const stopped = await live.next('automation', (m) => m.id === automation.id && m.automation?.flagged != null);
    expect(stopped.automation).toMatchObject({ enabled: false, flagged: 'stopped by the loop guard: triggered more than 5 times in a minute' });
    const stored = (await call<Automation>(hub, 'GET', `/api/automations/${automation.id}`)).body;
    expect(stored).toMatchObject({ enabled: false, flagged: expect.stringContaining('loop guard') });
    // The run going at that moment was stopped too, so the traces end with a cancelled one.
    const ended = await runs(live, automation.id, 3);
    expect(ended.length).toBe(3);
    expect((await call<unknown[]>(hub, 'GET', `/api/automations/${automation.id}/traces`)).body.length).toBeLessThanOrEqual(6);

    // Enabling it again is the user saying they have looked: the flag goes.
    const enabled = await call<Automation>(hub, 'PUT', `/api/automations/${automation.id}/enabled`, { enabled: false });
    expect(enabled.body).toMatchObject({ enabled: false, flagged: expect.any(String) });
    const again = await call<Automation>(hub, 'PUT', `/api/automations/${automation.id}/enabled`, { enabled: true });
    expect(again.body).toMatchObject({ enabled: true, flagged: null });
  });
});

describe('automations in the database', () => {
  it('keeps every edit, survives a restart, and exports and imports as JSON', async () => {
    const hub = await startHub();
    const made = await createAutomation(hub, NOTIFY);
    expect(made).toStrictEqual({ ...NOTIFY, id: expect.any(String), enabled: true, flagged: null, updatedAt: expect.any(Number) });
    const changed = { ...NOTIFY, name: 'Hello again', mode: 'queued', max: 3 };
    expect((await call(hub, 'PUT', `/api/automations/${made.id}`, changed)).status).toBe(200);
    expect((await call(hub, 'PUT', `/api/automations/${made.id}/enabled`, { enabled: false })).status).toBe(200);
    await hub.close();

    const again = await startHub({ dataDir: hub.dataDir });
    const stored = (await call<Automation>(again, 'GET', `/api/automations/${made.id}`)).body;
    expect(stored).toMatchObject({ ...changed, enabled: false });
    const edits = (await call<{ editor: string; definition: AutomationDefinition }[]>(again, 'GET', `/api/automations/${made.id}/edits`)).body;
    expect(edits.map((e) => [e.editor, e.definition.name])).toStrictEqual([
      ['owner', 'Hello again'],
      ['owner', 'Hello'],
    ]);

    const exported = (await call<{ automations: unknown[] }>(again, 'GET', '/api/automations/export')).body;
    expect(exported).toStrictEqual({ automations: [{ id: made.id, enabled: false, ...changed }] });
    const fresh = await startHub();
    expect((await call(fresh, 'POST', '/api/automations/import', exported)).body).toStrictEqual({ imported: 1 });
    expect((await call<Automation[]>(fresh, 'GET', '/api/automations')).body).toStrictEqual([{ ...changed, id: made.id, enabled: false, flagged: null, updatedAt: expect.any(Number) }]);
  });

  it.each([
    ['an unknown trigger kind', { ...NOTIFY, triggers: [{ kind: 'cron', at: '* * *' }] }, 'FST_ERR_VALIDATION'],
    ['a time that is no time', { ...NOTIFY, triggers: [{ kind: 'time', at: '25:00' }] }, 'FST_ERR_VALIDATION'],
    ['a mode Home Assistant does not have', { ...NOTIFY, mode: 'sometimes' }, 'FST_ERR_VALIDATION'],
    ['no actions', { ...NOTIFY, actions: [] }, 'FST_ERR_VALIDATION'],
    ['a threshold without bounds', { ...NOTIFY, triggers: [{ kind: 'numeric', device: 'x', property: 'power' }] }, 'HEARTH_INVALID_AUTOMATION'],
    ['an extra property', { ...NOTIFY, colour: 'blue' }, 'FST_ERR_VALIDATION'],
  ])('refuses %s with a 400 that says where', async (_what, body, code) => {
    const hub = await startHub();
    const refused = await call<{ code: string; message: string }>(hub, 'POST', '/api/automations', body);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(code);
    expect(refused.body.message).not.toBe('');
    expect((await call<unknown[]>(hub, 'GET', '/api/automations')).body).toStrictEqual([]);
  });

  it('lets a member run an automation by hand but not change it', async () => {
    const hub = await startHub();
    const made = await createAutomation(hub, NOTIFY);
    const user = await hub.app.auth.accounts.createUser('kid', 'a long enough password', 'member');
    const token = hub.app.auth.accounts.createToken(user!.id, 'member').secret;
    const as = (method: string, path: string, body?: unknown) =>
      fetch(`${hub.httpUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const notes = await LiveClient.connect(hub.wsUrl, hub.headers);
    await notes.next('snapshot');
    expect((await as('PUT', `/api/automations/${made.id}`, NOTIFY)).status).toBe(403);
    expect((await as('POST', `/api/automations/${made.id}/run`)).status).toBe(202);
    await notes.next('notification', (m) => m.notification.message === 'hello');
  });
});
