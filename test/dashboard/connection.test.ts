import { describe, expect, it } from 'vitest';
import { CLOSE_ROLE_CHANGED, CLOSE_SIGNED_OUT } from '../../hub/protocol/messages.js';
import { backoffDelay, HubConnection, liveUrl, type ConnectionStatus } from '../../dashboard/src/connection.js';

/** Stands in for the browser's WebSocket: the test opens, delivers and closes by hand. */
class FakeSocket extends EventTarget {
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
  }
  send(text: string) {
    this.sent.push(text);
  }
  close(code = 1006) {
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
  receive(message: object) {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

function connect() {
  const sockets: FakeSocket[] = [];
  const timers: { ms: number; run: () => void }[] = [];
  const connection = new HubConnection('ws://hub/api/ws', {
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    setTimeout: (run, ms) => timers.push({ ms, run }),
    clearTimeout: () => {},
    random: () => 1,
  });
  const statuses: ConnectionStatus[] = [];
  connection.on('status', (s) => statuses.push(s));
  connection.start();
  return { connection, sockets, timers, statuses };
}

describe('the hub connection', () => {
  it('uses the page origin, wss: behind TLS', () => {
    expect(liveUrl({ protocol: 'https:', host: 'home.example:8443' })).toBe('wss://home.example:8443/api/ws');
    expect(liveUrl({ protocol: 'http:', host: '192.168.1.2:8080' })).toBe('ws://192.168.1.2:8080/api/ws');
  });

  it('backs off exponentially up to a cap, with jitter in the upper half', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 1))).toStrictEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, 1)).toBe(5_000);
    expect(backoffDelay(20, 0)).toBe(2_500);
    expect(backoffDelay(3, 0)).toBe(2000);
  });

  it('is live once caught up, and resumes after the last event it saw', () => {
    const { connection, sockets, timers, statuses } = connect();
    expect(connection.send({ type: 'command', id: 'lamp', command: { on: true } })).toBe(false);
    sockets[0]!.receive({ type: 'snapshot', seq: 7, reset: false, devices: [] });
    sockets[0]!.receive({ type: 'availability', seq: 8, id: 'lamp', online: true });
    expect(statuses).toStrictEqual(['live']);
    expect(connection.send({ type: 'command', ref: 'r1', id: 'lamp', command: { on: true } })).toBe(true);

    sockets[0]!.close();
    expect(statuses).toStrictEqual(['live', 'reconnecting']);
    expect(timers.map((t) => t.ms)).toStrictEqual([500]);
    timers[0]!.run();
    expect(sockets[1]!.url).toBe('ws://hub/api/ws?since=8');
    sockets[1]!.receive({ type: 'resumed', from: 8, seq: 8 });
    expect(statuses).toStrictEqual(['live', 'reconnecting', 'live']);
    connection.stop();
  });

  it('stops after the hub closes with 4401 (signed out) and says so; reconnects at once after 4403 (role changed)', () => {
    const { connection, sockets, timers } = connect();
    const access: string[] = [];
    connection.on('access', (a) => access.push(a));
    sockets[0]!.receive({ type: 'snapshot', seq: 3, reset: false, devices: [] });
    sockets[0]!.close(CLOSE_ROLE_CHANGED);
    expect(access).toStrictEqual(['role-changed']);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.url).toBe('ws://hub/api/ws?since=3');
    sockets[1]!.close(CLOSE_SIGNED_OUT);
    expect(access).toStrictEqual(['role-changed', 'signed-out']);
    // No retry is scheduled: a signed-out dashboard shows the sign-in form instead of knocking.
    expect(timers).toHaveLength(0);
    expect(sockets).toHaveLength(2);
  });
});
