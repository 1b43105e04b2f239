import { defineConfig } from 'vitest/config';
import { INTEGRATION_FILES } from './vitest.integration.config.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Outside clients (Inspector, conformance suites) run in test:e2e, one file at a time, where load from
    // the unit tests cannot starve their fixed timeouts; real-process suites in test:integration.
    exclude: ['test/e2e/**', 'test/conformance/**', 'test/reliability/**', ...INTEGRATION_FILES, 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Vitest's default on two CPUs is one worker. Most tests wait on sockets and child processes, so two
    // overlap well (measured: 215 s → 142 s for the whole suite on 2 cores).
    maxWorkers: 2,
    // One worker process runs many files: the modules under test are loaded once per worker instead of once
    // per file (142 s → 115 s). Safe because src/ keeps no module-level mutable state and tests restore
    // what they stub (vi.stubEnv/unstubAllEnvs).
    isolate: false,
  },
});
