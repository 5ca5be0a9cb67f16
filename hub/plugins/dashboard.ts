import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The built dashboard (Vite output), in `dist/dashboard` at the repository root. This module
 * runs from source (`hub/plugins/`), from the per-file build (`dist/hub/plugins/`) or inside
 * the hub's one-file bundle (`dist/hub/main.js`, two levels below the root as the source is).
 */
export function defaultDashboardDir(): string {
  const base = new URL('../../', import.meta.url);
  const dist = base.pathname.endsWith('/dist/') ? base : new URL('dist/', base);
  return fileURLToPath(new URL('dashboard/', dist));
}

export const dashboardPlugin = fp<{ dir: string }>(
  async (app, { dir }) => {
    if (!existsSync(`${dir}/index.html`)) {
      app.log.warn({ dir }, 'dashboard is not built; run `npm run build`');
      app.get('/', async (_request, reply) =>
        reply.code(503).type('text/plain').send('The dashboard is not built yet: run `npm run build`, then reload.'),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root: dir,
      // Hashed asset names never change content, so browsers may keep them; index.html must stay fresh.
      setHeaders: (res, path) => {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  },
  { name: 'dashboard' },
);
