import fastifyCookie from '@fastify/cookie';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Accounts, SESSION_LIFETIME_MS, type Principal } from '../auth/accounts.js';
import { allows, defaultAccess, type Access } from '../auth/roles.js';
import { OpenStreams } from '../auth/open-streams.js';
import { SetupCode } from '../auth/setup-code.js';
import { LoginThrottle } from '../auth/throttle.js';
import { CrossOrigin, Forbidden, Unauthenticated } from '../errors.js';

export const SESSION_COOKIE = 'hearth_session';

export interface Auth {
  accounts: Accounts;
  /** Where sign-ins, refusals and changes to people and tokens are logged, marked `audit: true`. */
  audit: FastifyBaseLogger;
  throttle: LoginThrottle;
  /** Open WebSockets, event streams and long polls: closed when their access ends. */
  streams: OpenStreams;
  /** The one-time code onboarding asks for, printed at start; null once the hub has an owner. */
  setupCode(): SetupCode | null;
  /** Sets the session cookie for a fresh login. */
  startSession(request: FastifyRequest, reply: FastifyReply, userId: string): void;
  endSession(request: FastifyRequest, reply: FastifyReply): void;
  /** Who sent the request, from its bearer token or session cookie. */
  identify(request: FastifyRequest): Principal | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: Auth;
  }
  interface FastifyRequest {
    /** Who made the request; set on every /api route that is not public. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** What the route needs; by default `read` for GET and `admin` for anything else. */
    access?: Access;
  }
}

export interface AuthOptions {
  /** Marks the session cookie Secure: only when the hub itself speaks HTTPS. */
  secureCookies: boolean;
  /** Names given with --public-host: pages there may be served through a TLS-terminating proxy. */
  publicHosts: readonly string[];
  /** The clock of the login throttle; tests freeze it so that a wait cannot run out mid-test. */
  now?: () => number;
}

/**
 * Every /api route needs a session cookie or an API token, and a role that allows what the
 * route does. The dashboard's files are public (they hold no data), and MQTT over WebSocket
 * at /mqtt has its own device credentials.
 */
export const authPlugin = fp<AuthOptions>(
  async (app, options) => {
    const audit = app.log.child({ plugin: 'auth', audit: true });
    const accounts = new Accounts(app.store.db);
    await app.register(fastifyCookie);
    app.decorateRequest('principal', null);
    const streams = new OpenStreams();
    const stopWatching = accounts.onAccessChange((change) => {
      const ended = streams.end(change);
      if (ended > 0) audit.info({ streams: ended, reason: change.reason }, 'open streams closed: their access ended or changed');
    });
    app.addHook('onClose', async () => stopWatching());
    // Made at every start until someone onboards: only who sees the terminal or log may.
    let setupCode = accounts.hasUsers() ? null : new SetupCode();
    if (setupCode) app.log.warn({ setupCode: setupCode.code }, `no owner yet: onboarding asks for the setup code ${setupCode.code}`);

    app.decorate('auth', {
      accounts,
      audit,
      throttle: new LoginThrottle({}, options.now),
      streams,
      setupCode() {
        if (setupCode && accounts.hasUsers()) setupCode = null;
        return setupCode;
      },
      startSession(request, reply, userId) {
        const origin = { address: request.ip, userAgent: request.headers['user-agent'] ?? null };
        reply.setCookie(SESSION_COOKIE, accounts.startSession(userId, origin), {
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookies,
          path: '/',
          maxAge: SESSION_LIFETIME_MS / 1000,
        });
      },
      endSession(request, reply) {
        const secret = request.cookies[SESSION_COOKIE];
        if (secret) accounts.endSession(secret);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      },
      identify,
    } satisfies Auth);

    app.addHook('onRequest', async (request) => {
      // By the route matched, not the raw URL: the router decodes `/%61pi/devices` to
      // `/api/devices`, which a check of the URL's text would let through.
      if (!request.routeOptions.url?.startsWith('/api/')) return;
      const access = request.routeOptions.config.access ?? defaultAccess(request.method);
      if (access === 'public') return;
      const principal = identify(request);
      // A page on another site may open a WebSocket (or post a form) with the user's cookie:
      // the browser says where it came from, and only our own pages are let through.
      if (crossOrigin(request, principal, options)) {
        audit.warn({ origin: request.headers.origin, url: request.url, ip: request.ip }, 'cross-origin request refused');
        throw new CrossOrigin(String(request.headers.origin));
      }
      if (!principal) throw new Unauthenticated();
      if (!allows(principal.user.role, access)) throw new Forbidden(principal.user.role, describe(access));
      request.principal = principal;
    });

    function identify(request: FastifyRequest): Principal | null {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) return accounts.resolve(header.slice(7).trim(), 'token');
      const cookie = request.cookies[SESSION_COOKIE];
      return cookie ? accounts.resolve(cookie, 'session') : null;
    }
  },
  { name: 'auth', dependencies: ['store'] },
);

/**
 * WebSocket upgrades, and changes made with a cookie, must come from our own pages. (A
 * browser cannot attach a bearer token to another site's request, and tools send no Origin.)
 */
function crossOrigin(request: FastifyRequest, principal: Principal | null, options: AuthOptions): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  const upgrade = request.headers.upgrade !== undefined;
  const cookieChange = principal?.via.kind === 'session' && request.method !== 'GET' && request.method !== 'HEAD';
  if (!upgrade && !cookieChange) return false;
  return !ownOrigins(request, options).includes(origin.toLowerCase());
}

/**
 * The origins of the hub's own pages, scheme included: the Host the request names, in the
 * scheme the hub speaks (a page on plain HTTP is not the hub's HTTPS dashboard), and each
 * --public-host also in https, for a proxy that terminates TLS in front of the hub.
 */
function ownOrigins(request: FastifyRequest, { secureCookies, publicHosts }: AuthOptions): string[] {
  const own = `${secureCookies ? 'https' : 'http'}://${(request.headers.host ?? '').toLowerCase()}`;
  return [own, ...publicHosts.flatMap((host) => [`https://${host}`, `http://${host}`])];
}

function describe(access: Access): string {
  return { public: 'see this', read: 'see the home', control: 'control devices', admin: 'change settings', owner: 'do what only the owner may' }[access];
}
