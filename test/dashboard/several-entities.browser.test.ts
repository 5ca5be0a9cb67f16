import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt, nextMessage } from '../helpers/mqtt.js';
import { artifactPath, chromiumPath, launchChromium, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

/** An ESPHome node with two relays (one `switch` config each, one device block), as in several-entities.e2e.test.ts. */
const relay = (n: number) => ({
  name: `Relay ${n}`,
  stat_t: `node-2r/switch/relay_${n}/state`,
  cmd_t: `node-2r/switch/relay_${n}/command`,
  uniq_id: `ESPswitchrelay_${n}`,
  dev: { ids: '24a160aabbcc', name: 'node-2r', mf: 'espressif' },
});

describe.skipIf(!chromiumPath)('a card of a device with several entities', () => {
  it('shows a switch per relay and flips only the one tapped', async () => {
    const hub = await startHub();
    for (const n of [1, 2]) await mosquittoPub(hub.mqttUrl, `homeassistant/switch/node-2r/relay_${n}/config`, JSON.stringify(relay(n)), { retain: true });
    // The node obeys: a command comes back as that relay's state, as ESPHome reports it.
    const node = await connectMqtt(hub.mqttUrl);
    await node.subscribeAsync('node-2r/switch/+/command', { qos: 1 });
    node.on('message', (topic, payload) => void node.publishAsync(topic.replace(/command$/, 'state'), payload.toString()));
    for (const n of [1, 2]) await node.publishAsync(`node-2r/switch/relay_${n}/state`, 'OFF');

    const page = await signedInPage(browser, hub, { viewport: { width: 390, height: 844 } });
    await page.goto(hub.httpUrl);
    await page.locator('[data-testid="card-24a160aabbcc"][data-online="true"]').waitFor();
    const first = page.getByRole('switch', { name: 'node-2r Relay 1' });
    const second = page.getByRole('switch', { name: 'node-2r Relay 2' });
    await second.and(page.locator('[aria-checked="false"]')).waitFor();

    const sent = nextMessage(node, 'node-2r/switch/relay_2/command');
    await second.click();
    expect(await sent).toBe('ON');
    await second.and(page.locator('[aria-checked="true"][aria-busy="false"]')).waitFor();
    expect(await first.getAttribute('aria-checked')).toBe('false');
    node.end(true);
  });
});

/**
 * Two dimmable lights and a power meter on one ESPHome node: ESPHome's components/mqtt/
 * mqtt_light.cpp announces each light as a JSON-schema `light` config and mqtt_sensor.cpp the
 * meter as a `sensor`, all with the node's `device.identifiers`; Home Assistant's device page
 * then lists each entity under its own name.
 */
const light = (id: string, name: string) => ({
  name,
  schema: 'json',
  brightness: true,
  stat_t: `node-2l/light/${id}/state`,
  cmd_t: `node-2l/light/${id}/command`,
  uniq_id: `ESPlight${id}`,
  dev: { ids: 'c8c9a3001122', name: 'Lounge node', mf: 'espressif' },
});
const meter = {
  name: 'Power',
  dev_cla: 'power',
  unit_of_meas: 'W',
  stat_t: 'node-2l/sensor/power/state',
  uniq_id: 'ESPsensorpower',
  dev: { ids: 'c8c9a3001122', name: 'Lounge node', mf: 'espressif' },
};

describe.skipIf(!chromiumPath)('a device with two lights and a power meter', () => {
  it.each([
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1440, height: 900 }],
  ])('names each light on its card and groups its page by entity (%s)', async (size, viewport) => {
    const hub = await startHub();
    await mosquittoPub(hub.mqttUrl, 'homeassistant/light/node-2l/ceiling/config', JSON.stringify(light('ceiling', 'Ceiling')), { retain: true });
    await mosquittoPub(hub.mqttUrl, 'homeassistant/light/node-2l/reading/config', JSON.stringify(light('reading', 'Reading lamp')), { retain: true });
    await mosquittoPub(hub.mqttUrl, 'homeassistant/sensor/node-2l/power/config', JSON.stringify(meter), { retain: true });
    // Only the second light is on: the card must still look on.
    await mosquittoPub(hub.mqttUrl, 'node-2l/light/ceiling/state', '{"state":"OFF","brightness":40}');
    await mosquittoPub(hub.mqttUrl, 'node-2l/light/reading/state', '{"state":"ON","brightness":191}');
    await mosquittoPub(hub.mqttUrl, 'node-2l/sensor/power/state', '23.5');

    const page = await signedInPage(browser, hub, { viewport });
    await page.goto(hub.httpUrl);
    const card = page.getByTestId('card-c8c9a3001122');
    await card.and(page.locator('.active')).waitFor();
    // The header's summary (hidden on a phone, still read out) counts the device as a light on.
    await page.getByText('1 light on', { exact: false }).waitFor({ state: 'attached' });
    const reading = page.getByTestId('entity-c8c9a3001122-reading');
    await reading.getByText('Reading lamp', { exact: true }).waitFor();
    await page.getByTestId('entity-c8c9a3001122-ceiling').getByText('Ceiling', { exact: true }).waitFor();
    expect(await page.getByRole('switch', { name: 'Lounge node Ceiling' }).getAttribute('aria-checked')).toBe('false');
    expect(await page.getByRole('switch', { name: 'Lounge node Reading lamp' }).getAttribute('aria-checked')).toBe('true');
    // Each light's brightness sits under its own name and says whose it is.
    await reading.getByRole('slider', { name: 'Brightness, Lounge node Reading lamp' }).waitFor();
    // Slotted into the card's frame, so found from the page rather than inside the frame.
    await page.getByTestId('sensor-c8c9a3001122-power').getByText('23.5').waitFor();
    await card.screenshot({ path: artifactPath(`entities-card-${size}.png`) });

    await page.getByRole('button', { name: 'Details of Lounge node' }).click();
    const panel = page.getByTestId('device-panel');
    expect(await panel.locator('hearth-entity-state h4').allTextContents()).toStrictEqual(['Ceiling', 'Reading lamp', 'Power']);
    const readingState = panel.getByRole('region', { name: 'Reading lamp' });
    expect(await readingState.locator('dt').allTextContents()).toStrictEqual(['Power', 'Brightness']);
    expect(await readingState.locator('dd').allTextContents()).toStrictEqual(['On', '75%']);
    expect(await panel.getByRole('region', { name: 'Ceiling' }).locator('dd').allTextContents()).toStrictEqual(['Off', '16%']);
    await page.screenshot({ path: artifactPath(`entities-device-page-${size}.png`), fullPage: true });
  });
});
