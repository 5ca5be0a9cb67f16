import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testCertificate } from '../helpers/certificate.js';
import { upgradeStatus } from '../helpers/upgrade.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { chromiumPath, launchChromium, signedInPage } from '../dashboard/browser.js';

afterEach(stopAllHubs);

const EXPECTED = {
  'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

describe('security headers', () => {
  // OWASP Secure Headers Project: CSP with frame-ancestors, nosniff and a Referrer-Policy.
  it.each(['/', '/api/auth/status', '/api/devices', '/no-such-page'])('are on %s, without HSTS over plain HTTP', async (path) => {
    const hub = await startHub();
    const response = await fetch(`${hub.httpUrl}${path}`);
    expect(Object.fromEntries(response.headers)).toMatchObject(EXPECTED);
    expect(response.headers.get('strict-transport-security')).toBe(null);
  });

  it('add HSTS under TLS (RFC 6797 section 7.2: only over a secure transport)', async () => {
    const { cert, key, ca } = testCertificate();
    const hub = await startHub({ tls: { cert, key } });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      httpsRequest(`${hub.httpUrl}/`, { ca }, (res) => {
        res.resume();
        resolve(res.headers);
      })
        .on('error', reject)
        .end();
    });
    expect(headers).toMatchObject({ ...EXPECTED, 'strict-transport-security': 'max-age=31536000' });
    // A page served over plain HTTP on the same host and port is not the hub's HTTPS page.
    const host = new URL(hub.httpUrl).host;
    const cookie = `hearth_session=${hub.ownerSession()}`;
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: `http://${host}` }, ca)).toBe(403);
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: `https://${host}` }, ca)).toBe(101);
  });

  it("refuse a WebSocket from a page of the hub's host in the other scheme or on another port", async () => {
    const hub = await startHub();
    const { host, hostname } = new URL(hub.httpUrl);
    const cookie = `hearth_session=${hub.ownerSession()}`;
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: `https://${host}` })).toBe(403);
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: `http://${hostname}:1` })).toBe(403);
    expect(await upgradeStatus(hub.wsUrl, { cookie, origin: `http://${host}` })).toBe(101);
  });
});

describe.skipIf(!chromiumPath)('framing, in real Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // Found in a review: a page on another port of the same host framed the signed-in dashboard.
  it('refuses to show the signed-in dashboard in a frame of a page on another port', async () => {
    const hub = await startHub();
    const framer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${hub.httpUrl}/"></iframe>`));
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    try {
      const page = await signedInPage(browser, hub);
      const refused = page.waitForEvent('console', (m) => m.text().includes("frame-ancestors 'none'"));
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      expect((await refused).text()).toMatch(/blocked|Refused/);
      // The dashboard itself still runs under its policy.
      await page.goto(hub.httpUrl);
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await page.close();
    } finally {
      framer.close();
    }
  });
});
