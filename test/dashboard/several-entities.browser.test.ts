import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { connectMqtt, nextMessage } from '../helpers/mqtt.js';
import { chromiumPath, launchChromium, signedInPage } from './browser.js';

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
