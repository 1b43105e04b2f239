import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url));
const CALLGRIND = fileURLToPath(new URL('../../bench/callgrind.mjs', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBench(args: string[], timeoutMs: number, script = RUN): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Its server processes exit when it dies: they leave on IPC disconnect.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface LoadRow {
  id: string;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  maxRssMb: number;
  ratioCB?: number | null;
  ratioCA?: number | null;
  jwksFetches?: number;
  tool?: string;
  log?: 'on' | 'off';
  loggedRequests?: number;
}

const THROUGHPUT_ROWS = [
  'a',
  'b-sessions-get-todos',
  'b-sessions-create-todo',
  'c-sessions-get-todos',
  'c-sessions-create-todo',
  'c-sessions-get-todos-nolog',
  'c-sessions-create-todo-nolog',
  'b-stateless-get-todos',
  'b-stateless-create-todo',
  'c-stateless-get-todos',
  'c-stateless-create-todo',
  'c-stateless-get-todos-nolog',
  'c-stateless-create-todo-nolog',
];

function expectCleanLoad(row: LoadRow): void {
  expect(row.requests, row.id).toBeGreaterThan(0);
  expect({ id: row.id, errors: row.errors, timeouts: row.timeouts, non2xx: row.non2xx, mismatches: row.mismatches }).toEqual({
    id: row.id,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    mismatches: 0,
  });
  expect(row.p99Ms, row.id).toBeGreaterThanOrEqual(row.p50Ms);
  expect(row.maxRssMb, row.id).toBeGreaterThan(0);
}

describe('npm run bench (--smoke)', () => {
  let dir: string;
  let outcome: Outcome;
  let results: any;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-test-'));
    const out = join(dir, 'results.json');
    outcome = await runBench(['--smoke', '--out', out], 200_000);
    if (outcome.code !== 0) throw new Error(`bench exited ${outcome.code}\n${outcome.stderr}`);
    results = JSON.parse(await readFile(out, 'utf8'));
  }, 210_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures every throughput row with zero errors and computes the ratios', () => {
    const rows = results.throughput as LoadRow[];
    expect(rows.map((r) => r.id)).toEqual(THROUGHPUT_ROWS);
    for (const row of rows) expectCleanLoad(row);
    for (const row of rows.filter((r) => r.id.startsWith('c-'))) {
      expect(row.ratioCB, row.id).toBeGreaterThan(0);
      expect(row.ratioCA, row.id).toBeGreaterThan(0);
      // A fresh server process fetches the issuer's keys once, however many tokens it verifies.
      expect(row.jwksFetches, row.id).toBe(1);
      // `serve` as users run it writes request lines to its stdout (a pipe the bench reads; they arrive
      // asynchronously, so only their presence is checked here); with --log-level silent, none.
      if (row.log === 'on') expect(row.loggedRequests, row.id).toBeGreaterThan(0);
      else expect(row.loggedRequests, row.id).toBe(0);
    }
    const logged = rows.filter((r) => r.log === 'on' && r.tool === 'get-todos');
    for (const row of logged) expect((row as LoadRow & { targets: Array<{ name: string }> }).targets.map((t) => t.name), row.id).toEqual(['c/b', 'log on/off']);
    expect(results.client).toMatchObject({ tool: 'autocannon', connections: 10 });
  });

  it('measures an Admin\'s first page of get-todos over growing stored files', () => {
    const rows = results.listing.rows as Array<LoadRow & { stored: number; ratioToFirst: number }>;
    expect(rows.map((r) => r.stored)).toEqual([100, 1_000, 10_000]);
    for (const row of rows) expectCleanLoad(row);
    expect(rows[0]!.ratioToFirst).toBe(1);
    expect(typeof results.listing.meetsTarget).toBe('boolean');
  });

  it('measures create-todo over growing stored files, with peak memory', () => {
    const rows = results.storage.rows as Array<LoadRow & { stored: number; ratioToFirst: number }>;
    expect(rows.map((r) => r.stored)).toEqual([100, 1_000, 10_000]);
    for (const row of rows) expectCleanLoad(row);
    expect(rows[0]!.ratioToFirst).toBe(1);
    expect(typeof results.storage.meetsTarget).toBe('boolean');
  });

  it('times the CLI: --help and a call with a cached token, next to Node start-up and loading the code call runs', () => {
    for (const key of ['nodeFloor', 'help', 'loadCall', 'call'] as const) {
      expect(results.cli[key].medianMs, key).toBeGreaterThan(0);
      expect(results.cli[key].runs, key).toBe(1);
    }
    // `call get-todos` as an Admin over the smallest and the largest store, and their ratio.
    expect(results.cli.stored.map((r: { stored: number }) => r.stored)).toEqual([100, 10_000]);
    expect(results.cli.stored[1].ratioToFirst).toBeGreaterThan(0);
  });

  it('counts one JWKS fetch and separates signature checks from cache hits', () => {
    const verify = results.verify;
    expect(verify.jwksFetchesSeenByIssuer).toBe(1);
    expect(verify.verifierStats).toEqual({ jwksFetches: 1, signatureChecks: verify.tokens + 1, cacheHits: verify.tokens });
    expect(verify.signatureMedianUs).toBeGreaterThan(verify.cachedMedianUs);
  });

  it('prints the tables', () => {
    for (const heading of ['### Tool-call throughput', '### get-todos by an Admin', '### Storage growth', '### CLI start-up', '### Token verification']) {
      expect(outcome.stdout).toContain(heading);
    }
    expect(outcome.stdout).toMatch(/\| c +\| todo-mcp +\| JSON +\| on +\| sessions +\| get-todos +\|/);
    expect(outcome.stdout).toMatch(/\| todo-mcp call get-todos \(token cached\) +\| \d+ /);
    // Each growth section ends with its target's verdict on its last row (storage once printed none).
    const section = (heading: string) => outcome.stdout.slice(outcome.stdout.indexOf(heading)).split('\n\n')[1] ?? '';
    expect(section('### get-todos by an Admin')).toMatch(/\| ≥ 0\.8 (met|MISSED) +\|\n?$/);
    expect(section('### Storage growth')).toMatch(/\| ≥ 0\.5 (met|MISSED) +\|\n?$/);
  });
});

describe('bench arguments', () => {
  it('refuses an unknown argument with the usage and exit code 2', async () => {
    const result = await runBench(['--fast'], 15_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown argument --fast');
    expect(result.stderr).toContain('Usage: node bench/run.mjs');
  });

  it('callgrind.mjs refuses a mistyped flag or a flag without its value, before it needs valgrind', async () => {
    // Both were taken silently before: --call left the default 1,500 calls, a bare --calls counted one call.
    for (const [args, message] of [
      [['--call', '100'], "Unknown option '--call'"],
      [['--calls'], "Option '--calls <value>' argument missing"],
      [['--rows', 'd'], 'usage: node bench/callgrind.mjs'],
    ] as const) {
      const result = await runBench([...args], 15_000, CALLGRIND);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr, args.join(' ')).toContain('usage: node bench/callgrind.mjs [--rows b,c,c-nolog]');
      expect(result.stdout, args.join(' ')).toBe('');
    }
  });
});
