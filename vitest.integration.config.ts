import { defineConfig } from 'vitest/config';

/**
 * Suites that run real processes against each other or need outside programs: PostgreSQL clusters, the
 * bench, Chromium, tmpfs mounts, kill -9 and signals sent to a running CLI, `connect` bridging to a
 * spawned `serve`. `npm run test:integration` runs them (CI too, see .ci/run); `npm test` leaves them out,
 * so it stays fast. Each file here proves behaviour nothing in `npm test` repeats: moving one back is fine,
 * dropping one is not.
 */
export const INTEGRATION_FILES = [
  // PostgreSQL: throwaway clusters from the Debian packages.
  'test/scale/replicas.test.ts',
  'test/store-postgres/postgres-todo-repository.test.ts',
  'test/store-postgres/store-option.test.ts',
  'test/store-postgres/pg-pool-serve.test.ts',
  'test/store-postgres/pages-serve.test.ts',
  // The bench's smoke runs (its own server processes).
  'test/bench/**/*.test.ts',
  // Chromium.
  'test/dev-auth/chromium-sign-in.test.ts',
  'test/cli/login-chromium.test.ts',
  // Throughput as the data file grows: a measurement, which two busy workers beside it would skew.
  'test/store/throughput.test.ts',
  // tmpfs (ENOSPC, EROFS), kill -9 mid-write, a lock held by another live process.
  'test/store/write-failure.test.ts',
  'test/store/crash.test.ts',
  'test/store/single-writer-lock.test.ts',
  // Signals to a running CLI; several CLI processes sharing one lock or data directory.
  'test/cli/signals.test.ts',
  'test/cli/serve-second-signal.test.ts',
  'test/cli/auth-server.test.ts',
  // Ctrl-C typed at a prompt on a terminal (script(1)); `connect` stopped by signals, and cancelled by its host mid-login.
  'test/cli/prompt-signals.test.ts',
  'test/bridge/signals.test.ts',
  'test/bridge/cancel-login.test.ts',
  'test/cli/serve-log.test.ts',
  // A terminal (script(1)) for the secret prompt.
  'test/logto/secret-prompt.test.ts',
  // `todo-mcp connect` processes against a spawned `todo-mcp serve`.
  'test/bridge/connect-serve.test.ts',
  'test/bridge/failures.test.ts',
  'test/bridge/server-restart.test.ts',
];

export default defineConfig({
  test: {
    include: INTEGRATION_FILES,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time: most of these wait on other processes more than they compute.
    maxWorkers: 2,
  },
});
