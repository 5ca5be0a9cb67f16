/**
 * The Automations page, in Chromium against a real hub with the simulated demo home. The
 * editor follows Home Assistant's automation editor: a trigger, then conditions, then
 * actions, each picked from a list and filled in with device, property and value pickers.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopics } from '../../hub/protocol/topics.js';
import type { Automation } from '../../hub/protocol/automations.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { artifactPath, chromiumPath, launchChromium, signedInPage } from './browser.js';

const LAMP = 'living-room-lamp';
const MOTION = 'hallway-motion';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

async function open(hub: TestHub): Promise<Page> {
  const page = await signedInPage(browser, hub, { viewport: { width: 1280, height: 900 } });
  await page.goto(hub.httpUrl);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
  await page.locator(`[data-testid="card-${MOTION}"][data-online="true"]`).waitFor();
  return page;
}

describe.skipIf(!chromiumPath)('the automations page', () => {
  it('makes an automation in the form editor; motion on the simulated sensor turns the lamp on', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub);
    // The lamp starts off, whatever the simulation chose.
    const off = await hub.fetch(`${hub.httpUrl}/api/devices/${LAMP}/commands?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":false}' });
    expect(off.status).toBe(200);

    await page.getByRole('button', { name: 'Automations' }).click();
    await page.getByRole('button', { name: 'New automation' }).click();
    const editor = page.getByTestId('automation-editor');
    await editor.getByLabel('Name', { exact: true }).fill('Hall motion lamp');
    await editor.getByRole('button', { name: 'Add trigger' }).click();
    const trigger = editor.getByTestId('triggers-0');
    await trigger.getByLabel('Device', { exact: true }).selectOption({ label: 'Hallway motion' });
    await trigger.getByLabel('Property', { exact: true }).selectOption({ label: 'Occupancy' });
    await trigger.getByLabel('To', { exact: true }).selectOption({ label: 'Motion detected' });
    await editor.getByRole('button', { name: 'Add action' }).click();
    const action = editor.getByTestId('actions-0');
    await action.getByLabel('Device', { exact: true }).selectOption({ label: 'Living room lamp' });
    await action.getByLabel('Property', { exact: true }).selectOption({ label: 'On/off' });
    await action.getByLabel('To', { exact: true }).selectOption({ label: 'On' });
    await page.screenshot({ path: artifactPath('automation-editor.png'), fullPage: true });
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('automation-Hall motion lamp').waitFor();

    const [saved] = (await (await hub.fetch(`${hub.httpUrl}/api/automations`)).json()) as Automation[];
    expect(saved).toMatchObject({
      name: 'Hall motion lamp',
      mode: 'single',
      triggers: [{ kind: 'state', device: MOTION, property: 'motion', to: true }],
      conditions: [],
      actions: [{ kind: 'command', device: LAMP, command: { on: true } }],
    });

    // Someone walks past: the sensor reports occupancy (no motion first, in case the simulation had some).
    const sensor = await connectMqtt(hub.mqttUrl);
    for (const occupancy of [false, true]) await sensor.publishAsync(deviceTopics(MOTION).state, JSON.stringify({ occupancy, battery: 90 }), { qos: 1 });
    sensor.end(true);

    await page.getByRole('button', { name: 'Runs' }).click();
    await page.getByTestId('traces').locator('li.run[data-result="done"]').first().waitFor();
    await page.screenshot({ path: artifactPath('automation-traces.png'), fullPage: true });
    await page.getByRole('button', { name: 'Home' }).click();
    await page.locator(`[data-testid="switch-${LAMP}"][aria-checked="true"]`).waitFor();
  });

  it('saves what is on now as a scene, applies it from the strip and says it was done', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub);
    await page.getByRole('button', { name: 'Save what is on now' }).click();
    await page.getByLabel('Scene name').fill('Evening');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: /^Evening/ }).click();
    await page.getByText(/Evening: done/).waitFor();
  });
});

describe.skipIf(!chromiumPath)('room actions', () => {
  it('turns a room’s lights on from its header, each with its own confirmed command', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub);
    const send = (path: string, method: string, body: unknown) => hub.fetch(`${hub.httpUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const lounge = (await (await send('/api/rooms', 'POST', { name: 'Lounge' })).json()) as { id: string };
    for (const id of [LAMP, 'living-room-ceiling']) await send(`/api/devices/${id}`, 'PATCH', { room: lounge.id });
    await send('/api/home/lights', 'POST', { on: false });
    await page.getByRole('button', { name: 'Lounge: all on' }).click();
    await page.getByText('Lounge lights on: done (2 devices confirmed).').waitFor();
    for (const id of [LAMP, 'living-room-ceiling']) await page.locator(`[data-testid="switch-${id}"][aria-checked="true"]`).waitFor();
    await page.screenshot({ path: artifactPath('room-actions.png') });
  });
});

describe.skipIf(!chromiumPath)('export and import', () => {
  it('imports a file that Export made, and the automation shows in the list', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub);
    await page.getByRole('button', { name: 'Automations' }).click();
    const file = { automations: [{ id: 'night', name: 'Night', mode: 'single', triggers: [{ kind: 'time', at: '23:00' }], conditions: [], actions: [{ kind: 'room', room: null, on: false }] }] };
    await page.getByLabel('Import').setInputFiles({ name: 'hearth-automations.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.getByTestId('automation-Night').waitFor();
    const href = await page.getByRole('link', { name: 'Export' }).getAttribute('href');
    const exported = await (await hub.fetch(new URL(href!, `${hub.httpUrl}/`).href)).json();
    expect(exported).toStrictEqual({ automations: [{ ...file.automations[0], enabled: true }] });
  });
});

describe.skipIf(!chromiumPath)('what each role sees', () => {
  it('shows a viewer the automations and scenes but no control over them', async () => {
    const hub = await startHub({ simulate: true });
    const accounts = hub.app.auth.accounts;
    const viewer = await accounts.createUser('guest', 'a long enough password', 'viewer');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'hearth_session', value: accounts.startSession(viewer!.id), url: hub.httpUrl, httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    await page.goto(hub.httpUrl);
    await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
    const made = await hub.fetch(`${hub.httpUrl}/api/scenes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Evening', capture: [LAMP] }) });
    expect(made.status).toBe(201);
    expect(await page.getByRole('button', { name: /^Evening/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save what is on now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Turn all off' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Automations' }).click();
    await page.getByRole('heading', { name: 'Automations' }).waitFor();
    expect(await page.getByRole('button', { name: 'New automation' }).count()).toBe(0);
  });
});
