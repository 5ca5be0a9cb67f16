import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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
  plugins: [
    // Installable, and when the hub is out of reach the cached shell still opens and says so.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: 'Hearth',
        short_name: 'Hearth',
        description: 'Your home, live: lights, plugs and sensors',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f3f4f6',
        theme_color: '#f3f4f6',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        navigateFallback: 'index.html',
        // Live data is never served from a cache: the API and MQTT always go to the hub.
        navigateFallbackDenylist: [/^\/api\//, /^\/mqtt/],
        runtimeCaching: [],
      },
    }),
  ],
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
});
