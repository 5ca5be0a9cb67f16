import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestHub } from '../helpers/hub.js';
import { signedInPage } from './browser.js';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };
export const LAMP = 'living-room-lamp';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The owner's dashboard, live, with the demo home's lamp online. */
export async function openHome(browser: Browser, hub: TestHub, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await signedInPage(browser, hub, { viewport: PHONE, ...options });
  await page.goto(hub.httpUrl);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
  return page;
}

/** A signed-in page of someone with this role (made through the API, signed in through the form's API). */
export async function openAs(browser: Browser, hub: TestHub, role: 'admin' | 'member' | 'viewer', options: BrowserContextOptions = {}): Promise<Page> {
  const json = { 'content-type': 'application/json' };
  const username = `${role}-person`;
  await hub.fetch(`${hub.httpUrl}/api/users`, { method: 'POST', headers: json, body: JSON.stringify({ username, password: 'long enough', role }) });
  const login = await fetch(`${hub.httpUrl}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username, password: 'long enough' }) });
  const [name, value] = login.headers.getSetCookie()[0]!.split(';')[0]!.split('=') as [string, string];
  const context = await browser.newContext({ viewport: PHONE, ...options });
  await context.addCookies([{ name, value, url: hub.httpUrl, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  await page.goto(hub.httpUrl);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.locator(`[data-testid="card-${LAMP}"][data-online="true"]`).waitFor();
  return page;
}

/** Serious and critical findings of axe-core on the page as it is now, and its moderate landmark ones. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Through the debugging protocol: the hub's Content-Security-Policy refuses inline scripts, which is what addScriptTag adds.
  await page.evaluate(AXE);
  // Colours halfway through a transition (a sensor card lighting up) are not the page's colours.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined))));
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown; failureSummary?: string }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id.startsWith('landmark') || v.id === 'region')
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')).join(' | ')}`);
}
