import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests wait for events; this only bounds a test that would otherwise hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; keep parallelism modest on small machines.
    maxWorkers: 2,
    // As the hub sets it before better-sqlite3 loads (store/sqlite-uris.ts): a test file that
    // imports better-sqlite3 ahead of the hub must not leave SQLite without URIs in its process.
    env: { SQLITE_USE_URI: '1' },
  },
});
