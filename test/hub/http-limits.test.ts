import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';

afterEach(stopAllHubs);

/** A raw TCP connection to the hub's HTTP port, as a slow or silent client makes one. */
async function rawConnection(hub: TestHub): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(hub.httpUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => text, closed };
}

describe('HTTP connections that send nothing, or too slowly', () => {
  // Found in a review: silent connections stayed open for 6 minutes, and 4,000 of them from
  // one address used up the file descriptors. Node's http server closes a connection whose
  // headers do not arrive within `headersTimeout` (nodejs.org/api/http.html#serverheaderstimeout).
  it('closes a connection that never sends a request', async () => {
    const hub = await startHub({ config: { httpIdleTimeoutMs: 300 } });
    const { closed } = await rawConnection(hub);
    await closed;
  });

  it('closes a connection whose headers never end', async () => {
    const hub = await startHub({ config: { httpIdleTimeoutMs: 300 } });
    const { socket, closed, received } = await rawConnection(hub);
    socket.write('GET /api/auth/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await closed;
    expect(received()).not.toContain('200 OK');
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const hub = await startHub({ config: { httpIdleTimeoutMs: 300 } });
    const { socket, closed, received } = await rawConnection(hub);
    socket.write(`GET /api/auth/status HTTP/1.1\r\nHost: ${new URL(hub.httpUrl).host}\r\nConnection: keep-alive\r\n\r\n`);
    await closed;
    expect(received()).toMatch(/^HTTP\/1.1 200 OK/);
  });

  it('keeps a long poll open past the idle timeout: it is an answer being waited for', async () => {
    const hub = await startHub({ config: { httpIdleTimeoutMs: 300 } });
    const start = (await (await hub.fetch(`${hub.httpUrl}/api/events/poll`)).json()) as { seq: number };
    const answer = await hub.fetch(`${hub.httpUrl}/api/events/poll?after=${start.seq}&timeout=2`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toStrictEqual({ seq: start.seq, events: [] });
  });

  it('refuses connections from one address past the limit, before reading a byte', async () => {
    const hub = await startHub({ config: { httpMaxConnectionsPerAddress: 5, httpLimitLoopback: true } });
    const open = await Promise.all(Array.from({ length: 5 }, () => rawConnection(hub)));
    const over = await rawConnection(hub);
    over.socket.write(`GET /api/auth/status HTTP/1.1\r\nHost: ${new URL(hub.httpUrl).host}\r\n\r\n`);
    await over.closed;
    expect(over.received()).toBe('');
    // The ones within the limit are served.
    open[0]!.socket.write(`GET /api/auth/status HTTP/1.1\r\nHost: ${new URL(hub.httpUrl).host}\r\nConnection: close\r\n\r\n`);
    await open[0]!.closed;
    expect(open[0]!.received()).toMatch(/^HTTP\/1.1 200 OK/);
  });
});
