import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs, TEST_OWNER } from '../helpers/hub.js';
import { chromiumPath, launchChromium, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumPath) browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(stopAllHubs);

const json = { 'content-type': 'application/json' };

describe.skipIf(!chromiumPath)('revocation and account tools in the dashboard', () => {
  // The hub closes a revoked session's socket with 4401; the dashboard asks who it is and,
  // signed out, shows the sign-in form instead of reconnecting for ever.
  it('shows the sign-in form at once when its session is signed out from elsewhere', async () => {
    const hub = await startHub({ simulate: true });
    const page = await signedInPage(browser, hub);
    await page.goto(hub.httpUrl);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    // "Sign out everywhere else", from a script with the owner's token.
    expect((await hub.fetch(`${hub.httpUrl}/api/auth/sessions`, { method: 'DELETE' })).status).toBe(204);
    await page.getByRole('heading', { name: 'Sign in to Hearth' }).waitFor();
    await page.close();
  });

  it('lists where the owner is signed in, signs out elsewhere, changes the password and hands the home over', async () => {
    const hub = await startHub({ simulate: true });
    const elsewhere = hub.ownerSession();
    await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'sam', password: 'long enough', role: 'admin' }) });
    const page = await signedInPage(browser, hub);
    await page.goto(hub.httpUrl);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('button', { name: 'Account' }).click();
    const panel = page.getByTestId('account-panel');
    await expect.poll(() => panel.getByTestId('session').count()).toBe(2);
    await panel.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await panel.getByRole('status').filter({ hasText: 'Signed out everywhere else.' }).waitFor();
    await expect.poll(() => panel.getByTestId('session').count()).toBe(1);
    expect((await fetch(`${hub.httpUrl}/api/devices`, { headers: { cookie: `hearth_session=${elsewhere}` } })).status).toBe(401);

    await panel.getByLabel('Current password').fill('wrong password');
    await panel.getByLabel('New password').fill('a brand new secret');
    await panel.getByRole('button', { name: 'Change password' }).click();
    await panel.getByRole('alert').filter({ hasText: 'the current password is wrong' }).waitFor();
    await panel.getByLabel('Current password').fill(TEST_OWNER.password);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await panel.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();

    await panel.getByLabel('New owner').selectOption({ label: 'sam (admin)' });
    await panel.getByLabel('Your password').fill('a brand new secret');
    await panel.getByRole('button', { name: 'Hand over' }).click();
    await panel.getByRole('status').filter({ hasText: 'Handed over' }).waitFor();
    const users = (await (await hub.fetch(`${hub.httpUrl}/api/users`)).json()) as { username: string; role: string }[];
    expect(Object.fromEntries(users.map((u) => [u.username, u.role]))).toStrictEqual({ owner: 'admin', sam: 'owner' });
    // This dashboard was closed with 4403 and came back live, as an admin.
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.close();
  });
});
