import { request } from 'node:https';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { testCertificate } from '../helpers/certificate.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { connectMqtt } from '../helpers/mqtt.js';

afterEach(stopAllHubs);

/** GET over HTTPS, trusting only the test's own certificate. */
function get(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('TLS', () => {
  it('serves the API and the live WebSocket over HTTPS and WSS with the given certificate', async () => {
    const { cert, key, ca } = testCertificate();
    const hub = await startHub({ tls: { cert, key } });
    expect(hub.httpUrl).toMatch(/^https:/);
    const health = await get(`${hub.httpUrl}/api/health`, ca, hub.headers);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect((await get(`${hub.httpUrl}/api/health`, ca)).status).toBe(401);

    const socket = new WebSocket(hub.wsUrl, { ca, headers: hub.headers });
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString()) as { type: string }));
      socket.once('error', reject);
    });
    expect(first.type).toBe('snapshot');
    socket.close();
  });

  it('refuses a client that does not trust the certificate, and marks the session cookie Secure', async () => {
    const { cert, key, ca } = testCertificate();
    const hub = await startHub({ tls: { cert, key } });
    await expect(get(`${hub.httpUrl}/api/health`, Buffer.from(''))).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    const cookie = await new Promise<string>((resolve, reject) => {
      const req = request(`${hub.httpUrl}/api/auth/login`, { ca, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(String(res.headers['set-cookie']?.[0]));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ username: 'owner', password: 'correct horse battery' }));
    });
    expect(cookie).toMatch(/; Secure/);
  });

  it('takes devices over MQTTS with their credentials, and refuses a client that does not trust the hub', async () => {
    const { cert, key, ca } = testCertificate();
    const hub = await startHub({ tls: { cert, key }, mqttAnonymous: false });
    const { username, password } = hub.app.deviceCredentials.create('tls-plug');
    const device = await connectMqtt(hub.mqttsUrl!, { ca, username, password });
    const watcher = await connectMqtt(hub.mqttsUrl!, { ca, ...hub.app.deviceCredentials.create('tls-watcher', ['hearth/tls-plug/#']) });
    await watcher.subscribeAsync('hearth/tls-plug/state');
    const received = new Promise<string>((resolve) => watcher.once('message', (_topic, payload) => resolve(payload.toString())));
    await device.publishAsync('hearth/tls-plug/state', '{"state":"ON"}', { qos: 1 });
    expect(await received).toBe('{"state":"ON"}');
    await expect(connectMqtt(hub.mqttsUrl!, { username, password })).rejects.toThrow(/self.signed|certificate/i);
    device.end();
    watcher.end();
  });
});
