import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { artifactPath, chromiumPath, launchChromium } from './browser.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { accessibilityProblems, DESKTOP, LAMP, openHome, PHONE } from './pages.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

/** Boxes of the header's parts, in CSS pixels. */
async function headerBoxes(page: Page) {
  const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
  return {
    title: await box('header h1'),
    status: await box('[data-testid="connection-status"]'),
    signOut: await box('header button:text("Sign out")'),
    summaryCut: await page.locator('header .summary').evaluate((el) => el.scrollWidth > el.clientWidth),
    titleCut: await page.locator('header h1').evaluate((el) => el.scrollWidth > el.clientWidth),
  };
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.skipIf(!chromiumPath)('the page layout', () => {
  it.each([
    ['phone', 'light', PHONE],
    ['phone', 'dark', PHONE],
    ['desktop', 'light', DESKTOP],
    ['desktop', 'dark', DESKTOP],
  ] as const)('keeps the %s header whole in the %s theme, also while reconnecting', async (size, colorScheme, viewport) => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub, { viewport, colorScheme });
    await page.screenshot({ path: artifactPath(`layout-${size}-${colorScheme}.png`) });
    // Reconnecting is the widest the connection pill gets.
    for (const status of ['live', 'reconnecting'] as const) {
      if (status === 'reconnecting') {
        await hub.close();
        await page.getByTestId('connection-status').and(page.locator('[data-status="reconnecting"]')).waitFor();
        await page.screenshot({ path: artifactPath(`layout-${size}-${colorScheme}-reconnecting.png`) });
      }
      const { title, status: pill, signOut, summaryCut, titleCut } = await headerBoxes(page);
      expect(titleCut, `${status}: the title is cut`).toBe(false);
      expect(overlaps(title, pill), `${status}: the pill covers the title`).toBe(false);
      expect(summaryCut, `${status}: the summary is cut`).toBe(false);
      expect(signOut.x + signOut.width, `${status}: sign out is clipped`).toBeLessThanOrEqual(viewport.width);
    }
  });

  it('fits the phone filter bar in two rows, and more devices on the first screen with small tiles', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub);
    const toolbar = (await page.locator('form[role="search"]').boundingBox())!;
    // Two rows of 44 px controls and the gap between them.
    expect(toolbar.height).toBeLessThanOrEqual(2 * 44 + 8 + 4);
    const onFirstScreen = () =>
      page.locator('[data-testid^="card-"]').evaluateAll((cards, height) => cards.filter((c) => c.getBoundingClientRect().bottom <= height).length, PHONE.height);
    const roomy = await onFirstScreen();
    await page.getByRole('button', { name: 'Small tiles' }).click();
    await page.locator('hearth-light-card[compact]').first().waitFor();
    const compact = await onFirstScreen();
    await page.screenshot({ path: artifactPath('layout-phone-tiles.png') });
    expect(compact).toBeGreaterThanOrEqual(2 * roomy + 2);
    // The choice is kept for this browser.
    await page.reload();
    await page.locator('hearth-light-card[compact]').first().waitFor();
    await page.getByRole('switch', { name: 'Living room lamp' }).click();
    await page.locator(`[data-testid="switch-living-room-lamp"][aria-busy="false"]`).waitFor();
  });

  it('keeps a card the same height when "confirmed in N ms" comes and goes', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub);
    const card = page.getByTestId(`card-${LAMP}`);
    const before = (await card.boundingBox())!.height;
    await page.getByRole('switch', { name: 'Living room lamp' }).click();
    await card.getByTestId('confirmation').waitFor();
    expect((await card.boundingBox())!.height).toBe(before);
  });

  it.each(['light', 'dark'] as const)('keeps offline cards readable in the %s theme', async (colorScheme) => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub, { colorScheme });
    const mqtt = await connectMqtt(hub.mqttUrl);
    // The lamp's last will, as the broker would publish it.
    await mqtt.publishAsync(`hearth/${LAMP}/availability`, 'offline', { retain: true });
    await page.locator(`[data-testid="card-${LAMP}"][data-online="false"]`).waitFor();
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await page.getByTestId(`card-${LAMP}`).screenshot({ path: artifactPath(`offline-card-${colorScheme}.png`) });
    await mqtt.endAsync();
  });
});
