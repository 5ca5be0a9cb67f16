import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { artifactPath, chromiumPath, launchChromium } from './browser.js';
import { accessibilityProblems, DESKTOP, LAMP, openAs, openHome, PHONE } from './pages.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

/** Many steps: a bound for a hang, generous for a loaded machine (the default is 60 s). */
const SLOW = { timeout: 180_000 };

const openLampPage = async (page: Page) => {
  await page.getByRole('button', { name: 'Details of Living room lamp' }).click();
  const panel = page.getByTestId('device-panel');
  await panel.getByText('Home Assistant MQTT discovery').waitFor();
  return panel;
};

describe.skipIf(!chromiumPath)('what each role is offered', () => {
  it('gives a viewer no usable control, no settings and says why', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openAs(browser, hub, 'viewer');
    await page.getByText("You can look at the home; switching devices needs a household member's account.").waitFor();
    const switches = page.getByRole('switch');
    expect(await switches.count()).toBeGreaterThan(5);
    for (const control of await switches.all()) expect(await control.isDisabled()).toBe(true);
    for (const slider of await page.getByRole('slider').all()) expect(await slider.isDisabled()).toBe(true);
    for (const name of ['Access', 'Rooms', 'Add device']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    const panel = await openLampPage(page);
    expect(await panel.getByRole('button', { name: 'Remove device' }).count()).toBe(0);
    expect(await panel.getByLabel('Name').count()).toBe(0);
    await page.screenshot({ path: artifactPath('viewer-phone.png') });
  });

  it('lets a member switch devices but offers no settings', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openAs(browser, hub, 'member', { viewport: DESKTOP });
    const lamp = page.getByTestId(`switch-${LAMP}`);
    const before = await lamp.getAttribute('aria-checked');
    await lamp.click();
    await page.locator(`[data-testid="switch-${LAMP}"][aria-checked="${before === 'true' ? 'false' : 'true'}"][aria-busy="false"]`).waitFor();
    expect(await page.getByRole('button', { name: 'Rooms' }).count()).toBe(0);
    const panel = await openLampPage(page);
    expect(await panel.getByRole('button', { name: 'Remove device' }).count()).toBe(0);
    expect(await panel.getByText('Settings', { exact: true }).count()).toBe(0);
  });
});

describe.skipIf(!chromiumPath)('refusals and removals', () => {
  it('shows a refusal above the open device page and puts the refused name back', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub);
    const panel = await openLampPage(page);
    // The hub going away is a refusal every role can meet.
    await hub.close();
    await page.getByTestId('connection-status').and(page.locator('[data-status="reconnecting"]')).waitFor();
    await panel.getByLabel('Name').fill('Reading lamp');
    await panel.getByLabel('Name').press('Enter');
    const toast = page.getByRole('alert').filter({ hasText: 'Could not change the device. The hub is unreachable.' });
    await toast.waitFor();
    await expect.poll(() => panel.getByLabel('Name').inputValue()).toBe('Living room lamp');
    await page.screenshot({ path: artifactPath('refusal-over-dialog-phone.png') });
    // Clickable only if nothing (the dialog's backdrop) lies over it.
    await toast.getByRole('button', { name: 'Dismiss' }).click({ timeout: 5_000 });
    await toast.waitFor({ state: 'detached' });
  });

  it('asks before removing a device, and Cancel keeps it', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub, { viewport: DESKTOP, colorScheme: 'dark' });
    const panel = await openLampPage(page);
    await panel.getByRole('button', { name: 'Remove device' }).click();
    const confirm = page.getByTestId('confirm');
    await confirm.getByRole('heading', { name: 'Remove Living room lamp?' }).waitFor();
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await page.screenshot({ path: artifactPath('remove-device-desktop-dark.png') });
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect((await hub.fetch(`${hub.httpUrl}/api/devices/${LAMP}`)).status).toBe(200);

    await panel.getByRole('button', { name: 'Remove device' }).click();
    await confirm.getByRole('button', { name: 'Remove device' }).click();
    await panel.waitFor({ state: 'detached' });
    await expect.poll(async () => (await hub.fetch(`${hub.httpUrl}/api/devices/${LAMP}`)).status).toBe(404);
  });

  it('returns the focus to the device after its page closes', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub);
    await openLampPage(page);
    await page.keyboard.press('Escape');
    await page.getByTestId('device-panel').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('button', { name: 'Details of Living room lamp' }).evaluate((el) => el.matches(':focus'))).toBe(true);
  });
});

describe.skipIf(!chromiumPath)('the access page', () => {
  it.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('keeps Revoke in view beside a long topic list on a %s, and asks before revoking', SLOW, async (size, viewport) => {
    const hub = await startHub({ simulate: true });
    const topics = Array.from({ length: 12 }, (_, i) => `zigbee2mqtt/very/long/topic/level/for/device/number/${i}/#`);
    await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bridge', topics }) });
    const page = await openHome(browser, hub, { viewport });
    await page.getByRole('button', { name: 'Access' }).click();
    const panel = page.getByTestId('access-panel');
    const revoke = panel.getByRole('button', { name: 'Revoke bridge' });
    await revoke.scrollIntoViewIfNeeded();
    const [button, dialog] = [(await revoke.boundingBox())!, (await panel.boundingBox())!];
    expect(button.x + button.width).toBeLessThanOrEqual(dialog.x + dialog.width);
    expect(await panel.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await page.screenshot({ path: artifactPath(`access-topics-${size}.png`) });
    await revoke.click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Revoke credential' }).click();
    await revoke.waitFor({ state: 'detached' });
  });
});
