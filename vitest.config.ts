import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Outside clients (Inspector, conformance suites) run in test:e2e, one file at a time, where load from
    // the unit tests cannot starve their fixed timeouts.
    exclude: ['test/e2e/**', 'test/conformance/**', 'test/reliability/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
