import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests wait for events; this only bounds a test that would otherwise hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; keep parallelism modest on small machines.
    maxWorkers: 2,
  },
});
