import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { connectMqtt } from '../helpers/mqtt.js';
import { artifactPath, chromiumPath, launchChromium } from './browser.js';
import { DESKTOP, openHome } from './pages.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

const HOUR = 3_600_000;

describe.skipIf(!chromiumPath)('history charts on the device page', () => {
  it('spans the chosen range, reads the value under the pointer, and writes times as the page (British English) does', async () => {
    const hub = await startHub({ simulate: true });
    // A US browser: the page's language, not the browser's, words the times.
    const page = await openHome(browser, hub, { viewport: DESKTOP, locale: 'en-US' });
    await page.getByRole('button', { name: 'Details of Bedroom climate' }).click();
    const chart = page.locator('[data-testid="chart-temperature"][data-state="ready"]');
    await chart.waitFor();
    const span = async () => Number(await chart.getAttribute('data-to')) - Number(await chart.getAttribute('data-from'));
    expect(await span()).toBe(24 * HOUR);
    await page.getByRole('button', { name: 'Hour' }).click();
    await page.locator('[data-testid="chart-temperature"][data-state="ready"]').waitFor();
    expect(await span()).toBe(HOUR);

    const plot = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2);
    await expect.poll(() => page.getByTestId('readout-temperature').innerText()).toMatch(/^\d+\.\d°C at [A-Z][a-z]{2} \d{2}:\d{2}$/);
    await page.screenshot({ path: artifactPath('chart-readout-desktop.png') });
  });

  it('draws on/off as steps between two named levels', async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub, { viewport: DESKTOP, colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Details of Front door' }).click();
    await page.locator('[data-testid="chart-door"]:is([data-state="ready"], [data-state="empty"])').waitFor();
    // The door opens while the page is open: the chart takes the report live.
    const mqtt = await connectMqtt(hub.mqttUrl);
    await mqtt.publishAsync('hearth/front-door/state', JSON.stringify({ contact: false, battery: 90 }));
    const chart = page.locator('[data-testid="chart-door"][data-state="ready"]');
    await chart.waitFor();
    const plot = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2);
    await expect.poll(() => page.getByTestId('readout-door').innerText()).toMatch(/^(Open|Closed) at /);
    await chart.screenshot({ path: artifactPath('chart-binary-dark.png') });
    await mqtt.endAsync();
  });
});
