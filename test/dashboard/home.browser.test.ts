import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../hub/protocol/device.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { artifactPath, chromiumPath, launchChromium, signedInContext, signedInPage } from './browser.js';

const LAMP = 'living-room-lamp';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

async function open(hub: TestHub, viewport = { width: 390, height: 844 }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await signedInPage(browser, hub, { viewport, colorScheme });
  await page.goto(hub.httpUrl);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
  return page;
}

/** Serious and critical findings of axe-core on the page as it is now. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  // Through the debugging protocol: the hub's Content-Security-Policy refuses inline scripts, which is what addScriptTag adds.
  await page.evaluate(AXE);
  // Colours halfway through a transition (a sensor card lighting up) are not the page's colours.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined))));
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown; failureSummary?: string }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')).join(' | ')}`);
}

describe.skipIf(!chromiumPath)('the home view', () => {
  it('shows a room assigned on one dashboard on another at once', async () => {
    const hub = await startHub({ simulate: true });
    const created = await hub.fetch(`${hub.httpUrl}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Lounge"}' });
    const lounge = (await created.json()) as Room;
    const phone = await open(hub);
    const wall = await open(hub, { width: 1440, height: 900 });

    await phone.getByRole('button', { name: 'Details of Living room lamp' }).click();
    await phone.getByTestId('device-panel').getByLabel('Room', { exact: true }).selectOption(lounge.id);

    const section = wall.getByRole('region', { name: /Lounge/ });
    await section.getByRole('switch', { name: 'Living room lamp' }).waitFor();
    await wall.screenshot({ path: artifactPath('home-desktop.png') });
    await phone.keyboard.press('Escape');
    await phone.screenshot({ path: artifactPath('home-phone.png'), fullPage: true });
  });

  it('adds a room and orders devices from the dashboard', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub, { width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Details of Kitchen ceiling' }).click();
    const panel = page.getByTestId('device-panel');
    // The demo home's Kitchen, typed again another way, is that same room.
    await panel.getByLabel('Room', { exact: true }).selectOption({ label: 'No room' });
    await page.getByRole('region', { name: /No room/ }).getByRole('switch', { name: 'Kitchen ceiling' }).waitFor();
    await panel.getByLabel('New room').fill(' kitchen ');
    await panel.getByLabel('New room').press('Enter');
    await page.getByRole('region', { name: /Kitchen/ }).getByRole('switch', { name: 'Kitchen ceiling' }).waitFor();
    await panel.getByLabel('Order (lower comes first)').fill('0');
    await panel.getByLabel('Order (lower comes first)').press('Enter');
    await page.getByLabel('Favourite').check();
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: /Favourites/ }).getByRole('switch', { name: 'Kitchen ceiling' }).waitFor();
    const rooms = (await (await hub.fetch(`${hub.httpUrl}/api/rooms`)).json()) as Room[];
    expect(rooms.map((r) => r.name)).toStrictEqual(['Living room', 'Kitchen', 'Bedroom', 'Hallway']);
  });

  it('narrows the view by search, kind and online state', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub);
    await page.getByRole('searchbox', { name: 'Search devices' }).fill('climate');
    await page.getByRole('button', { name: 'Details of Bedroom climate' }).waitFor();
    expect(await page.getByRole('switch').count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Search devices' }).fill('');
    await page.getByLabel('Kind').selectOption('light');
    await page.getByRole('switch', { name: 'Living room lamp' }).waitFor();
    expect(await page.getByRole('button', { name: 'Details of Coffee machine' }).count()).toBe(0);
  });

  it('toggles a light with the keyboard alone', async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub);
    const lamp = page.getByRole('switch', { name: 'Living room lamp' });
    const before = await lamp.getAttribute('aria-checked');
    // Tab until the lamp's switch has the focus, as a keyboard user would.
    for (let i = 0; i < 40 && !(await lamp.evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    const after = before === 'true' ? 'false' : 'true';
    await page.locator(`[data-testid="switch-${LAMP}"][aria-checked="${after}"][aria-busy="false"]`).waitFor();
  });

  it.each(['light', 'dark'] as const)('has no serious accessibility problems in the %s theme, on the home view and a device page', async (scheme) => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub, { width: 390, height: 844 }, scheme);
    // Motion detected and a door open: the highlighted tiles must be readable too.
    const mqtt = await (await import('../helpers/mqtt.js')).connectMqtt(hub.mqttUrl);
    await mqtt.publishAsync('hearth/hallway-motion/state', JSON.stringify({ occupancy: true, battery: 90 }));
    await mqtt.publishAsync('hearth/front-door/state', JSON.stringify({ contact: false, battery: 90 }));
    await page.getByText('Motion', { exact: true }).waitFor();
    await mqtt.endAsync();
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await page.getByRole('button', { name: 'Details of Living room lamp' }).click();
    await page.getByTestId('device-panel').waitFor();
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await page.screenshot({ path: artifactPath(`device-page-${scheme}.png`) });
  });
});

describe.skipIf(!chromiumPath)('history charts', () => {
  it("loads a sensor's history and draws each new reading as it arrives", async () => {
    const hub = await startHub({ simulate: true });
    const page = await open(hub, { width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Details of Bedroom climate' }).click();
    const chart = page.locator('[data-testid="chart-temperature"][data-state="ready"]');
    await chart.waitFor();
    const before = Number(await chart.getAttribute('data-points'));

    const mqtt = await (await import('../helpers/mqtt.js')).connectMqtt(hub.mqttUrl);
    await mqtt.publishAsync('hearth/bedroom-climate/state', JSON.stringify({ temperature: 30.5, humidity: 50, battery: 90 }));
    await page.locator(`[data-testid="chart-temperature"][data-points="${before + 1}"]`).waitFor();
    await page.screenshot({ path: artifactPath('chart-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('chart-temperature').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('chart-phone.png') });
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await mqtt.endAsync();
  });
});

describe.skipIf(!chromiumPath)('the installed app', () => {
  it('opens from its cache when the hub is unreachable, showing the last home seen, marked as old', async () => {
    const hub = await startHub({ simulate: true });
    const context = await signedInContext(browser, hub, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(hub.httpUrl);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    // The service worker has cached the app shell once it is active.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const manifest = (await (await hub.fetch(`${hub.httpUrl}/manifest.webmanifest`)).json()) as { name: string; display: string; icons: unknown[] };
    expect(manifest).toMatchObject({ name: 'Hearth', display: 'standalone' });
    expect(manifest.icons.length).toBeGreaterThanOrEqual(3);

    await hub.close();
    await page.reload();
    await page.getByTestId('hub-unreachable').getByText(/^Hub unreachable\. Showing your home as it was at /).waitFor();
    await page.getByRole('region', { name: /^Living room/ }).getByRole('switch', { name: 'Living room lamp', disabled: true }).waitFor();
    await page.screenshot({ path: artifactPath('offline-phone.png') });
    await context.close();
  });
});
