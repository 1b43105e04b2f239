import { defineConfig } from 'vitest/config';

// End-to-end suites drive real outside clients (MCP Inspector, conformance suite, Chromium); one file at a time
// keeps them from competing for the two CPUs and for browser start-up.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts', 'test/conformance/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
