import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../hub/protocol/messages.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { connectMqtt, obedientSwitch } from '../helpers/mqtt.js';
import { artifactPath, chromiumPath, launchChromium, signedInContext, signedInPage } from './browser.js';

/** A dimmable light of the simulated demo home. */
const LAMP = 'living-room-lamp';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

/** The dashboard, live, at phone size, with the lamp discovered and switched off. */
async function openDashboard(hub: TestHub, setUp: (page: Page) => Promise<void> = async () => {}): Promise<Page> {
  const page = await signedInPage(browser, hub, { viewport: { width: 390, height: 844 } });
  await setUp(page);
  await page.goto(hub.httpUrl);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
  const off = await hub.fetch(`${hub.httpUrl}/api/devices/${LAMP}/commands?wait=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ on: false }),
  });
  expect(off.status).toBe(200);
  await lampSwitch(page, 'false').waitFor();
  return page;
}

/** The lamp's switch, in the given confirmed state (and pending look, if asked). */
const lampSwitch = (page: Page, checked: 'true' | 'false', busy?: 'true' | 'false') =>
  page.locator(`[data-testid="switch-${LAMP}"][aria-checked="${checked}"]${busy ? `[aria-busy="${busy}"]` : ''}`);

describe.skipIf(!chromiumPath)('the dashboard', () => {
  it('switches a light on and shows it on once the device confirms', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openDashboard(hub);

    await page.getByRole('switch', { name: 'Living room lamp' }).click();

    await lampSwitch(page, 'true', 'false').waitFor();
    const device = (await (await hub.fetch(`${hub.httpUrl}/api/devices/${LAMP}`)).json()) as { state: { on: boolean } };
    expect(device.state.on).toBe(true);
    await page.screenshot({ path: artifactPath('dashboard-light-on.png'), fullPage: true });
  });

  it('flips at once with a pending look, and settles when the device reports', async () => {
    const hub = await startHub({ simulate: true });
    // Holds the lamp's state reports back between the hub and the page, to look at the pending state.
    let holding = false;
    const held: string[] = [];
    let release = () => {};
    const page = await openDashboard(hub, (p) =>
      p.routeWebSocket(/\/api\/ws/, (ws) => {
        const server = ws.connectToServer();
        server.onMessage((text) => {
          const message = JSON.parse(String(text)) as ServerMessage;
          const concernsLamp = (message.type === 'state' && message.id === LAMP) || (message.type === 'command' && message.command.device === LAMP);
          if (holding && concernsLamp) held.push(String(text));
          else ws.send(text);
        });
        release = () => held.splice(0).forEach((text) => ws.send(text));
      }),
    );
    holding = true;

    await page.getByRole('switch', { name: 'Living room lamp' }).click();

    // Optimistic: the switch shows what was asked, marked busy, while the device has not confirmed.
    await lampSwitch(page, 'true', 'true').waitFor();
    await page.getByTestId(`card-${LAMP}`).screenshot({ path: artifactPath('dashboard-light-pending.png') });
    holding = false;
    release();
    await lampSwitch(page, 'true', 'false').waitFor();
    // Slotted into the card's frame, so looked up on the page: only this card has confirmed anything.
    await page.getByTestId('confirmation').filter({ hasText: /confirmed in \d+ ms/ }).waitFor();
  });

  it('rolls a command the device ignores back, with a message', async () => {
    const hub = await startHub({ commandTimeoutMs: 500 });
    const device = await connectMqtt(hub.mqttUrl);
    await obedientSwitch(device, 'deaf', { ignore: true });
    const page = await signedInPage(browser, hub, { viewport: { width: 390, height: 844 } });
    await page.goto(hub.httpUrl);
    await page.locator('[data-testid="card-deaf"][data-online="true"]').waitFor();

    await page.getByRole('switch', { name: 'Plain deaf' }).click();

    await page.locator('[data-testid="switch-deaf"][aria-checked="true"][aria-busy="true"]').waitFor();
    await page.getByText('Plain deaf did not confirm the change.').waitFor();
    await page.locator('[data-testid="switch-deaf"][aria-checked="false"][aria-busy="false"]').waitFor();
    await device.endAsync();
  });

  it('shows a command that did not confirm in time but was carried out later as applied late', async () => {
    const hub = await startHub({ commandTimeoutMs: 500 });
    const device = await connectMqtt(hub.mqttUrl);
    // A paused device: it takes the command now and carries it out after the hub gave up.
    const received: string[] = [];
    device.on('message', (topic, payload) => topic === 'plain/paused/set' && received.push(payload.toString()));
    await obedientSwitch(device, 'paused', { ignore: true });
    const page = await signedInPage(browser, hub, { viewport: { width: 390, height: 844 } });
    await page.goto(hub.httpUrl);
    await page.locator('[data-testid="card-paused"][data-online="true"]').waitFor();

    await page.getByRole('switch', { name: 'Plain paused' }).click();
    await page.getByText('Plain paused did not confirm the change.').waitFor();
    await page.locator('[data-testid="switch-paused"][aria-checked="false"][aria-busy="false"]').waitFor();
    await device.publishAsync('plain/paused/state', received[0]!);

    await page.locator('[data-testid="switch-paused"][aria-checked="true"][aria-busy="false"]').waitFor();
    await page.getByText(/^Plain paused applied the change late, \d+\.\d s after it was sent\.$/).waitFor();
    await page.screenshot({ path: artifactPath('applied-late-phone.png') });
    await device.endAsync();
  });

  it('recovers by itself when the hub restarts, without a page reload', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openDashboard(hub);
    const port = Number(new URL(hub.httpUrl).port);
    await hub.close();
    await page.getByTestId('connection-status').and(page.locator('[data-status="reconnecting"]')).waitFor();

    const again = await startHub({ simulate: true, dataDir: hub.dataDir, httpPort: port });
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
    const on = await again.fetch(`${again.httpUrl}/api/devices/${LAMP}/commands?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on: true }),
    });
    expect(on.status).toBe(200);
    await lampSwitch(page, 'true', 'false').waitFor();
  });

  it('shows a device that went offline as offline, with its controls disabled', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openDashboard(hub);
    const mqtt = await connectMqtt(hub.mqttUrl);

    await mqtt.publishAsync(`hearth/${LAMP}/availability`, 'offline', { qos: 1 });

    const card = page.locator(`[data-testid="card-${LAMP}"][data-online="false"]`);
    await card.waitFor();
    expect(await card.getByText('Offline').isVisible()).toBe(true);
    expect(await page.getByTestId(`switch-${LAMP}`).isDisabled()).toBe(true);
    await mqtt.endAsync();
  });
});

describe.skipIf(!chromiumPath)("a device's page", () => {
  it('shows where the device came from and its MQTT messages live, and renames it on every dashboard', { timeout: 180_000 }, async () => {
    const hub = await startHub({ simulate: true });
    const page = await openDashboard(hub);
    const other = await openDashboard(hub);

    await page.getByRole('button', { name: 'Details of Living room lamp' }).click();
    const panel = page.getByTestId('device-panel');
    await panel.getByText('Home Assistant MQTT discovery').waitFor();
    await panel.getByText(`hearth/${LAMP}/state`).first().waitFor();

    await page.keyboard.press('Escape');
    await page.getByRole('switch', { name: 'Living room lamp' }).click();
    await page.getByRole('button', { name: 'Details of Living room lamp' }).click();
    // The command out and the device's report back, as they passed.
    await panel.getByTestId('mqtt-log').getByText(`hearth/${LAMP}/set`).first().waitFor();
    await page.screenshot({ path: artifactPath('device-page-phone.png') });

    await panel.getByLabel('Name').fill('Reading lamp');
    await panel.getByLabel('Name').press('Enter');
    await other.getByRole('switch', { name: 'Reading lamp' }).waitFor();
    expect(((await (await hub.fetch(`${hub.httpUrl}/api/devices/${LAMP}`)).json()) as { name: string }).name).toBe('Reading lamp');
  });
});

describe.skipIf(!chromiumPath)('signing in', () => {
  it('shows the first-run onboarding on a fresh hub, then the home, and the login form after signing out', async () => {
    const hub = await startHub({ simulate: true, owner: false });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(hub.httpUrl);
    await page.getByRole('heading', { name: 'Welcome to Hearth' }).waitFor();
    await page.screenshot({ path: artifactPath('onboarding-phone.png') });
    // A wrong code is refused with the hub's reason; the printed one opens the home.
    await page.getByLabel('Setup code').fill('AAAAA-AAAAA');
    await page.getByLabel('User name').fill('alex');
    await page.getByLabel('Password').fill('a long secret');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong setup code' }).waitFor();
    await page.getByLabel('Setup code').fill(hub.setupCode()!.toLowerCase());
    await page.getByLabel('User name').fill('alex');
    await page.getByLabel('Password').fill('a long secret');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Hearth' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Hearth' }).waitFor();
    await page.getByLabel('User name').fill('alex');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /^Wrong user name or password\.$/ }).waitFor();
    await page.getByLabel('Password').fill('a long secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
    await page.close();
  });
});

describe.skipIf(!chromiumPath)('the access page', () => {
  it('adds a person, makes an API token and a device credential, each secret shown once, and revokes the token', async () => {
    const hub = await startHub({ simulate: true });
    const page = await signedInPage(browser, hub, { viewport: { width: 390, height: 844 } });
    await page.goto(hub.httpUrl);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('button', { name: 'Access' }).click();
    const panel = page.getByTestId('access-panel');

    await panel.getByLabel('User name').fill('sam');
    await panel.getByLabel('Password').fill('long enough');
    await panel.getByRole('button', { name: 'Add person' }).click();
    await panel.getByRole('button', { name: 'Remove sam' }).waitFor();

    await panel.getByLabel('Token name').fill('backup script');
    await panel.getByRole('button', { name: 'Create token' }).click();
    const secret = (await panel.getByTestId('revealed-secret').locator('code').innerText()).trim();
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    await panel.getByRole('button', { name: 'Done' }).click();

    await panel.getByLabel('Device name').fill('kitchen-plug');
    await panel.getByRole('button', { name: 'Create credential' }).click();
    await panel.getByTestId('revealed-secret').getByText('Password').waitFor();
    await page.screenshot({ path: artifactPath('access-phone.png') });
    await panel.getByRole('button', { name: 'Done' }).click();
    await panel.getByRole('button', { name: 'Revoke kitchen-plug' }).waitFor();

    await panel.getByRole('button', { name: 'Revoke backup script' }).click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Revoke token' }).click();
    await panel.getByRole('button', { name: 'Revoke backup script' }).waitFor({ state: 'detached' });
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    await page.close();
  });

  it("lists the owner's backups, takes one now and downloads it", async () => {
    const hub = await startHub({ simulate: true });
    const page = await signedInPage(browser, hub, { viewport: { width: 390, height: 844 }, acceptDownloads: true });
    await page.goto(hub.httpUrl);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('button', { name: 'Access' }).click();
    const backups = page.getByTestId('backups');
    await backups.getByText('No backup yet.').waitFor();

    await backups.getByRole('button', { name: 'Back up now' }).click();
    const link = backups.getByRole('link', { name: /^Download the backup hearth-.*\.db$/ });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const [listed] = (await (await hub.fetch(`${hub.httpUrl}/api/backups`)).json()) as { name: string }[];
    expect(download.suggestedFilename()).toBe(listed!.name);
    expect(readFileSync((await download.path())!)).toStrictEqual(readFileSync(`${hub.dataDir}/backups/${listed!.name}`));
    await page.close();
  });
});
