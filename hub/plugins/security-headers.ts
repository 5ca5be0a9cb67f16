import fp from 'fastify-plugin';

/**
 * The dashboard loads only its own files and talks only to its own origin. Styles may be
 * inline: Lit sets style attributes and the charts draw styled SVG. `frame-ancestors 'none'`
 * keeps other pages (another port of the same host included) from framing a signed-in
 * dashboard to trick clicks out of it (CSP Level 3, section 6.4.2).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers without frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // The hub's addresses and paths are nobody else's business.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Once a browser has seen the hub over TLS, it refuses plain HTTP to it for a year (RFC 6797). */
const HSTS = 'max-age=31536000';

/** Headers on every HTTP answer: what a browser may load, frame, sniff and remember. */
export const securityHeadersPlugin = fp<{ tls: boolean }>(
  async (app, { tls }) => {
    const headers = tls ? { ...HEADERS, 'strict-transport-security': HSTS } : HEADERS;
    app.addHook('onRequest', async (_request, reply) => {
      reply.headers(headers);
    });
  },
  { name: 'securityHeaders' },
);
