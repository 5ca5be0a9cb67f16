import fp from 'fastify-plugin';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { UnknownHost } from '../errors.js';

export interface HostCheckOptions {
  /** Names the hub is reached by besides its own (`--public-host`), lower case, maybe with a port. */
  publicHosts: readonly string[];
}

/**
 * A request must name the hub in its Host header: an address (any IP literal, as a browser
 * only sends one the user typed), localhost, this machine's name (also `.local`, its mDNS
 * name) or a name given with --public-host. DNS rebinding points a name the attacker owns
 * at the hub, so the victim's browser sends `Host: attacker.example` and treats the hub's
 * answers as that site's own; refusing unknown names ends it (an unclaimed hub answered
 * `201 owner` to such a request). MQTT over WebSocket at /mqtt is left out: devices reach it
 * by whatever name they were given, and it needs a device's credential anyway.
 */
export const hostCheckPlugin = fp<HostCheckOptions>(
  async (app, { publicHosts }) => {
    const machine = hostname().toLowerCase();
    const names = new Set(['localhost', machine, `${machine}.local`, ...publicHosts.map(withoutPort)]);
    const audit = app.log.child({ plugin: 'http', audit: true });
    app.addHook('onRequest', async (request) => {
      const host = request.headers.host;
      if (host === undefined || request.routeOptions.url === '/mqtt') return;
      const name = withoutPort(host.toLowerCase());
      if (names.has(name) || isIP(name.replace(/^\[|\]$/g, '')) !== 0) return;
      audit.warn({ host: host.slice(0, 200), ip: request.ip, url: request.url.slice(0, 200) }, 'request for an unknown host name refused');
      throw new UnknownHost(name.slice(0, 200), name.slice(0, 200));
    });
  },
  { name: 'hostCheck' },
);

/** `name:port` to `name`; `[::1]:8080` to `[::1]`. */
function withoutPort(host: string): string {
  return host.replace(/:\d+$/, '');
}
