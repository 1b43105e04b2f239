import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The official MCP client conformance suite (auth scenarios) against `todo-mcp call`. The suite needs
 * Node 22, installed apart in tools/conformance (`npm ci --prefix tools/conformance`, done by .ci/run).
 */
const TOOLS = fileURLToPath(new URL('../../tools/conformance/node_modules/', import.meta.url));
const NODE22 = join(TOOLS, '.bin', 'node');
const SUITE = join(TOOLS, '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const RUN_CLIENT = fileURLToPath(new URL('./run-client.sh', import.meta.url));
const FOLLOW_REDIRECTS = fileURLToPath(new URL('./follow-redirects.mjs', import.meta.url));
const installed = existsSync(NODE22) && existsSync(SUITE);

/** Per scenario: the suite gives it 90 s (the machine may be busy); the whole run is bounded below. */
const SCENARIO_TIMEOUT_MS = 90_000;
const SUITE_TIMEOUT_MS = 240_000;

interface Check {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  description?: string;
  errorMessage?: string;
}

let root: string | undefined;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the conformance suite did not finish within ${timeoutMs} ms\n${output.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!installed)('MCP client conformance suite, auth scenarios (skipped: tools/conformance is not installed; run npm ci --prefix tools/conformance)', () => {
  it(
    'passes every auth scenario with no failure and no warning, one TODO_MCP_HOME each, and never prints a token',
    async () => {
      root = await mkdtemp(join(tmpdir(), 'todo-mcp-conformance-'));
      const homes = join(root, 'homes');
      const results = join(root, 'results');
      // The suite's /authorize redirects at once: any command that follows redirects is a "browser".
      const browser = existsSync('/usr/bin/curl') ? 'curl -sL -o /dev/null' : `"${process.execPath}" "${FOLLOW_REDIRECTS}"`;
      const { code, output } = await run(
        NODE22,
        [SUITE, 'client', '--command', `sh ${RUN_CLIENT}`, '--suite', 'auth', '--timeout', String(SCENARIO_TIMEOUT_MS), '-o', results],
        { CONFORMANCE_HOMES: homes, CONFORMANCE_NODE: process.execPath, CONFORMANCE_BROWSER: browser },
        SUITE_TIMEOUT_MS,
      );

      const announced = Number(/Running auth suite \((\d+) scenarios\)/.exec(output)?.[1]);
      expect(announced, output.slice(-2000)).toBeGreaterThanOrEqual(14);
      const dirs = await readdir(join(results, 'auth'));
      expect(dirs).toHaveLength(announced);

      const problems: string[] = [];
      const scenarios: string[] = [];
      for (const dir of dirs) {
        const scenario = `auth/${dir.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '')}`;
        scenarios.push(scenario);
        const checks = JSON.parse(await readFile(join(results, 'auth', dir, 'checks.json'), 'utf8')) as Check[];
        if (!checks.some((c) => c.status === 'SUCCESS')) problems.push(`${scenario}: no successful check`);
        for (const check of checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')) {
          problems.push(`${scenario}: ${check.status} ${check.name}: ${check.errorMessage ?? check.description ?? ''}`);
        }
        // The mock server's tokens are `test-token-…`; `call` must never show them.
        for (const stream of ['stdout.txt', 'stderr.txt']) {
          const text = await readFile(join(results, 'auth', dir, stream), 'utf8');
          if (/test-token/.test(text)) problems.push(`${scenario}: a token appeared in the CLI's ${stream}`);
        }
      }
      expect(problems, output.slice(-3000)).toEqual([]);
      expect(scenarios).toEqual(
        expect.arrayContaining([
          'auth/metadata-default',
          'auth/basic-cimd',
          'auth/scope-step-up',
          'auth/scope-retry-limit',
          'auth/token-endpoint-auth-basic',
          'auth/pre-registration',
        ]),
      );
      expect(output).toMatch(/Total: \d+ passed, 0 failed, 0 warnings/);
      expect(code).toBe(0);

      // Each scenario logged in with its own home, and its token file is owner-only.
      for (const scenario of scenarios) {
        const file = join(homes, scenario.replace('/', '_'), 'tokens.json');
        expect((await stat(file)).mode & 0o777, file).toBe(0o600);
      }
    },
    SUITE_TIMEOUT_MS + 10_000,
  );
});
