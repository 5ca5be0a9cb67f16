import { defineConfig } from 'vite';

/** The hub the dev server forwards REST and the live WebSocket to (`npm start` in another shell). */
const HUB = 'http://127.0.0.1:8080';

const proxy = { '/api': { target: HUB, ws: true, changeOrigin: true } };

export default defineConfig({
  root: 'dashboard',
  // Served by the hub from `/`; relative asset URLs also work behind a reverse-proxy prefix.
  base: './',
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
});
