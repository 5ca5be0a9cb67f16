import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Device, Room } from '../../hub/protocol/device.js';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { mosquittoPub } from '../helpers/mosquitto-clients.js';
import { announceMeter, announceSwitch, connectMqtt } from '../helpers/mqtt.js';
import { artifactPath, chromiumPath, launchChromium } from './browser.js';
import { accessibilityProblems, DESKTOP, openAs, openHome } from './pages.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

/** Several pages and many steps: a bound for a hang, generous for a loaded machine (the default is 60 s). */
const SLOW = { timeout: 180_000 };

const rooms = async (hub: TestHub) => (await (await hub.fetch(`${hub.httpUrl}/api/rooms`)).json()) as Room[];
const roomOf = async (hub: TestHub, id: string) => ((await (await hub.fetch(`${hub.httpUrl}/api/devices/${id}`)).json()) as Device).room;
const section = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(`^${name} \\d+$`) });

describe.skipIf(!chromiumPath)('rooms on the dashboard', () => {
  it('shows the demo home room by room from the start', SLOW, async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub, { viewport: DESKTOP });
    await section(page, 'Hallway').getByRole('button', { name: 'Details of Front door' }).waitFor();
    const headings = await page.locator('section h2').evaluateAll((hs) => hs.map((h) => h.textContent!.replace(/\s*\d+\s*$/, '').trim()));
    expect(headings).toStrictEqual(['Living room', 'Kitchen', 'Bedroom', 'Hallway']);
    await page.screenshot({ path: artifactPath('rooms-desktop.png') });
  });

  it('renames, reorders and removes rooms, and moves many devices at once', SLOW, async () => {
    const hub = await startHub({ simulate: true });
    const page = await openHome(browser, hub);
    const other = await openHome(browser, hub, { viewport: DESKTOP });
    await page.getByRole('button', { name: 'Rooms' }).click();
    const panel = page.getByTestId('rooms-panel');
    // Nothing sticks out sideways on a phone.
    expect(await panel.evaluate((dialog) => dialog.scrollWidth <= dialog.clientWidth)).toBe(true);

    // A name another room has, in another case: refused, and the field shows the saved name again.
    const kitchenName = panel.getByLabel('Name of Kitchen');
    await kitchenName.fill('bed room');
    await kitchenName.press('Enter');
    await panel.getByRole('alert').filter({ hasText: "There is already a room named 'Bedroom'." }).waitFor();
    expect(await kitchenName.inputValue()).toBe('Kitchen');
    await kitchenName.fill('Kitchen and dining');
    await kitchenName.press('Enter');
    await section(other, 'Kitchen and dining').waitFor();

    // Adding a room that exists, any case and spacing, adds nothing.
    await panel.getByLabel('New room').fill('  HALLWAY ');
    await panel.getByRole('button', { name: 'Add room' }).click();
    await panel.getByRole('status').filter({ hasText: 'Hallway is already a room' }).waitFor();
    expect(await rooms(hub)).toHaveLength(4);

    await panel.getByRole('button', { name: 'Move Hallway up' }).click();
    await other.waitForFunction(() => true);
    await expect.poll(async () => (await rooms(hub)).map((r) => r.name)).toStrictEqual(['Living room', 'Kitchen and dining', 'Hallway', 'Bedroom']);

    await panel.getByLabel('TV').check();
    await panel.getByLabel('Coffee machine').check();
    await panel.getByLabel('Move to').selectOption({ label: 'Bedroom' });
    await panel.getByRole('button', { name: 'Move 2 devices' }).click();
    await section(other, 'Bedroom').getByRole('switch', { name: 'TV' }).waitFor();
    await section(other, 'Bedroom').getByRole('switch', { name: 'Coffee machine' }).waitFor();
    await page.screenshot({ path: artifactPath('rooms-panel-phone.png') });

    // Removing asks where the devices go.
    await panel.getByRole('button', { name: 'Remove Bedroom' }).click();
    const confirm = page.getByTestId('confirm');
    await confirm.getByText('Bedroom has 4 devices. Where should they go?').waitFor();
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await confirm.getByLabel('Move its devices to').selectOption({ label: 'Living room' });
    await page.screenshot({ path: artifactPath('rooms-remove-phone.png') });
    await confirm.getByRole('button', { name: 'Remove room' }).click();
    await section(other, 'Living room').getByRole('switch', { name: 'Bedroom light' }).waitFor();
    expect((await rooms(hub)).map((r) => r.name)).toStrictEqual(['Living room', 'Kitchen and dining', 'Hallway']);
    const livingRoom = (await rooms(hub))[0]!.id;
    expect(await roomOf(hub, 'tv')).toBe(livingRoom);
    expect(await roomOf(hub, 'bedroom-climate')).toBe(livingRoom);
  });
  it('keeps what the user is typing in a name while device reports re-render the panel', SLOW, async () => {
    const hub = await startHub({ simulate: true });
    const mqtt = await connectMqtt(hub.mqttUrl);
    const report = await announceMeter(mqtt, 'pantry-meter');
    await report(417);
    const page = await openHome(browser, hub);
    await page.getByTestId('sensor-pantry-meter-power').getByText(/^417(\.0)?\s*W$/).waitFor();
    await page.getByRole('button', { name: 'Rooms' }).click();
    const panel = page.getByTestId('rooms-panel');

    const kitchenName = panel.getByLabel('Name of Kitchen');
    await kitchenName.fill('Kitchen and pan');
    // A report re-renders the panel (it counts the devices of each room) while the field is half typed.
    await report(523);
    await page.getByTestId('sensor-pantry-meter-power').getByText(/^523(\.0)?\s*W$/).waitFor();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await kitchenName.inputValue()).toBe('Kitchen and pan');
    await kitchenName.pressSequentially('try');
    await kitchenName.press('Enter');
    await expect.poll(async () => (await rooms(hub)).map((r) => r.name)).toContain('Kitchen and pantry');
    await mqtt.endAsync();
  });
});

describe.skipIf(!chromiumPath)('a new device', () => {
  it('is announced on every open dashboard, named and put in a new room on one, and the prompt leaves the other', SLOW, async () => {
    const hub = await startHub({ simulate: true });
    const phone = await openHome(browser, hub);
    const desk = await openHome(browser, hub, { viewport: DESKTOP, colorScheme: 'dark' });
    const member = await openAs(browser, hub, 'member');
    const mqtt = await connectMqtt(hub.mqttUrl);
    await announceSwitch(mqtt, 'garage-door-opener');

    const prompt = phone.getByTestId('new-device');
    await prompt.getByText('Plain garage-door-opener announced itself over Home Assistant MQTT discovery').waitFor();
    await desk.getByTestId('new-device').waitFor();
    expect(await accessibilityProblems(desk)).toStrictEqual([]);
    await desk.screenshot({ path: artifactPath('new-device-desktop-dark.png') });
    await prompt.getByLabel('Name').fill('Garage door');
    await prompt.getByLabel('Room', { exact: true }).selectOption({ label: 'A new room…' });
    await prompt.getByLabel('New room').fill('Garage');
    await phone.screenshot({ path: artifactPath('new-device-phone.png') });
    await prompt.getByRole('button', { name: 'Save' }).click();

    await section(desk, 'Garage').getByRole('switch', { name: 'Garage door' }).waitFor();
    await desk.getByTestId('new-device').waitFor({ state: 'detached' });
    await prompt.waitFor({ state: 'detached' });
    // Members may not name or place devices: they are not asked.
    await section(member, 'Garage').getByRole('switch', { name: 'Garage door' }).waitFor();
    expect(await member.getByTestId('new-device').count()).toBe(0);
    await mqtt.endAsync();
  });

  it('gets its MQTT credential and the exact Tasmota settings in the add-device flow, then is found', SLOW, async () => {
    const hub = await startHub({ simulate: true, mqttAnonymous: false });
    const page = await openHome(browser, hub);
    await page.getByRole('button', { name: 'Add device' }).click();
    const dialog = page.getByTestId('add-device');
    await dialog.getByLabel('Tasmota').check();
    await dialog.getByLabel('Device name').fill('Porch plug');
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    const shown = dialog.getByTestId('device-settings-to-copy');
    await shown.waitFor();
    const value = async (label: string) => (await shown.locator(`dt:text-is("${label}") + dd code`).innerText()).trim();
    expect(await value('Host')).toBe('127.0.0.1');
    expect(await value('Port')).toBe(new URL(hub.mqttUrl).port);
    expect(await value('User')).toBe('porch-plug');
    expect(await value('Topic')).toBe('porch-plug');
    expect(await value('Full Topic')).toBe('%prefix%/%topic%/');
    const password = await value('Password');
    expect(await shown.locator('pre').innerText()).toBe(
      `Backlog MqttHost 127.0.0.1; MqttPort ${new URL(hub.mqttUrl).port}; MqttUser porch-plug; MqttPassword ${password}; Topic porch-plug; FullTopic %prefix%/%topic%/; SetOption19 0`,
    );
    expect(await accessibilityProblems(page)).toStrictEqual([]);
    await page.screenshot({ path: artifactPath('add-device-phone.png') });
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The firmware, with what was shown: its discovery config, as Tasmota 9.x publishes it (see test/discovery/tasmota.test.ts).
    const config = { ip: '192.168.1.40', dn: 'Porch plug', fn: ['Porch plug', null], hn: 'porch-plug', mac: 'A4CF12B0C0DE', md: 'Sonoff S26', ofln: 'Offline', onln: 'Online', state: ['OFF', 'ON', 'TOGGLE', 'HOLD'], sw: '13.2.0', t: 'porch-plug', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [1, 0, 0, 0, 0, 0, 0, 0], swc: [-1, -1, -1, -1, -1, -1, -1, -1], swn: [null, null, null, null, null, null, null, null], btn: [0, 0, 0, 0], so: { '4': 0, '11': 0, '13': 0, '17': 0, '20': 0, '30': 0, '68': 0, '73': 0, '82': 0, '114': 0 }, lk: 0, lt_st: 0, ty: 0, if: 0, ver: 1 };
    await mosquittoPub(hub.mqttUrl, 'tasmota/discovery/A4CF12B0C0DE/config', JSON.stringify(config), { retain: true, username: 'porch-plug', password });
    await page.getByTestId('new-device').getByText('announced itself over Tasmota').waitFor();
  });
});
