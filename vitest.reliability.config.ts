import { defineConfig } from 'vitest/config';

// Load, crash and fault suites: bounded in time, run one file at a time so their load does not skew each other.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
