import fp from 'fastify-plugin';
import type { Socket } from 'node:net';
import { ConnectionLimits } from '../mqtt/connection-limits.js';

export interface HttpLimitOptions {
  maxPerAddress: number;
  limitLoopback: boolean;
}

/**
 * New connections a minute from one address on the HTTP port. A browser opens a handful and
 * keeps them alive; only a flood reaches this.
 */
const HTTP_CONNECTS_PER_MINUTE = 1200;
/** One audit line per address a minute: a flood must not flood the log as well. */
const LOG_EVERY_MS = 60_000;

/**
 * Open connections per address on the HTTP port, as on the MQTT port: 4,000 idle
 * connections from one address used up the hub's file descriptors, and then neither HTTP
 * nor MQTT answered. A connection over the limit is closed before a byte is read.
 * (Idle and slow connections are closed by the server's timeouts, set in app.ts.)
 */
export const httpLimitsPlugin = fp<HttpLimitOptions>(
  async (app, options) => {
    const audit = app.log.child({ plugin: 'http', audit: true });
    const limits = new ConnectionLimits({ maxPerAddress: options.maxPerAddress, connectsPerMinute: HTTP_CONNECTS_PER_MINUTE, limitLoopback: options.limitLoopback });
    const lastLogged = new Map<string, number>();
    app.server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const refusal = limits.admit(address);
      if (!refusal) {
        socket.once('close', () => limits.release(address));
        return;
      }
      socket.destroy();
      const now = Date.now();
      if (now - (lastLogged.get(address) ?? 0) < LOG_EVERY_MS) return;
      if (lastLogged.size > 10_000) lastLogged.clear();
      lastLogged.set(address, now);
      audit.warn({ ip: address, reason: refusal }, `HTTP connection refused: ${refusal}`);
    });
  },
  { name: 'httpLimits' },
);
