import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install -y chromium`), or HEARTH_CHROMIUM. Without one, browser
 * tests are skipped with a message, unless HEARTH_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
 */
export const chromiumPath = [process.env.HEARTH_CHROMIUM, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));

if (!chromiumPath) {
  const message = 'no Chromium found (set HEARTH_CHROMIUM or apt-get install -y chromium)';
  if (process.env.HEARTH_REQUIRE_BROWSER === '1') throw new Error(`browser tests are required but ${message}`);
  console.warn(`skipping browser tests: ${message}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where screenshots go (`test-artifacts/`, gitignored): something to look at when a test fails. */
export function artifactPath(name: string): string {
  const dir = new URL('../../test-artifacts/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  return new URL(name, dir).pathname;
}

/** A browser context signed in as the hub's owner (its session cookie set, as a login would). */
export async function signedInContext(browser: Browser, hub: { httpUrl: string; ownerSession(): string }, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: 'hearth_session', value: hub.ownerSession(), url: hub.httpUrl, httpOnly: true, sameSite: 'Strict' }]);
  return context;
}

export async function signedInPage(browser: Browser, hub: { httpUrl: string; ownerSession(): string }, options: BrowserContextOptions = {}): Promise<Page> {
  return (await signedInContext(browser, hub, options)).newPage();
}
