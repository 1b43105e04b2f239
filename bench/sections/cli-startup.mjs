import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';

const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));
/** The CLI's code that `call` loads, as the bin loads it: the bundle's two CommonJS layers (tools/bundle-cli.mjs). */
const CLI_LAYERS = ['main.cjs', 'hot.cjs'].map((file) => fileURLToPath(new URL(`../../dist/bundle/${file}`, import.meta.url)));

/** Targets (issue 15), as multiples of `node -e 0` measured in the same run. */
export const HELP_TARGET_X = 1.6;
export const CALL_TARGET_X = 2.5;

/** Runs `node …argv` to completion and times it. */
function run(argv, { env, cwd }) {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(process.execPath, argv, { env, cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ ms: performance.now() - started, code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Median wall time of `runs` runs, after one unmeasured run that warms the file cache (unless
 * `warmupRun` is false); every run must exit 0 and print what `check` expects.
 */
async function medianWall(argv, options, runs, { warmupRun, check = () => true }) {
  const times = [];
  for (let i = warmupRun ? -1 : 0; i < runs; i += 1) {
    const result = await run(argv, options);
    if (result.code !== 0 || !check(result.stdout)) {
      throw new Error(`node ${argv.join(' ')} failed (exit ${result.code}): ${result.stderr.slice(0, 400)}`);
    }
    if (i >= 0) times.push(result.ms);
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { medianMs: Math.round(median), minMs: Math.round(times[0]), maxMs: Math.round(times[times.length - 1]), runs };
}

/** Median of a list of numbers. */
function median(list) {
  const sorted = [...list].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs each case once per round, in turn, for `runs` rounds (after one unmeasured round unless `warmupRun` is
 * false), so that outside load hits every case alike; every run must exit 0 and print what its `check` expects.
 * Answers each case's median, min and max.
 */
async function alternating(cases, options, runs, warmupRun) {
  const times = cases.map(() => []);
  for (let i = warmupRun ? -1 : 0; i < runs; i += 1) {
    for (const [k, { argv, check = () => true }] of cases.entries()) {
      const result = await run(argv, options);
      if (result.code !== 0 || !check(result.stdout)) throw new Error(`node ${argv.join(' ')} failed (exit ${result.code}): ${result.stderr.slice(0, 400)}`);
      if (i >= 0) times[k].push(result.ms);
    }
  }
  return times.map((list) => ({ medianMs: Math.round(median(list)), minMs: Math.round(Math.min(...list)), maxMs: Math.round(Math.max(...list)), runs }));
}

/** A tokens.json as the CLI's token store writes it, holding one valid login for `server`. */
export async function writeTokenStore(home, { server, resource, issuer, token }) {
  const now = Math.floor(Date.now() / 1000);
  const scopes = ['create:todos', 'read:todos', 'delete:todos'];
  const entry = {
    server,
    resource,
    issuer: issuer.issuer,
    authorizationServer: issuer.metadata,
    client: { clientId: 'bench-client', authMethod: 'none', kind: 'pre-registered' },
    accessToken: token,
    tokenType: 'Bearer',
    expiresAt: now + 3600,
    scopesRequested: scopes,
    scopesGranted: scopes,
    subject: 'bench-user',
    updatedAt: now,
  };
  await mkdir(home, { recursive: true, mode: 0o700 });
  await writeFile(join(home, 'tokens.json'), `${JSON.stringify({ version: 1, entries: [entry], clients: [] }, null, 2)}\n`, { mode: 0o600 });
}

/** `call get-todos` must take at most this many times as long at the largest size as at the smallest. */
export const CALL_GROWTH_TARGET = 1.2;

/**
 * `todo-mcp call get-todos` as an Admin with the smallest and the largest of `sizes` todos stored: one
 * page either way, so the time should not grow with the store. Runs alternate between the two servers,
 * so that a burst of outside load hits both.
 */
async function callAtSizes({ sizes, runs, warmupRun, options, env }) {
  if (sizes.length < 2) return [];
  const chosen = [sizes[0], sizes[sizes.length - 1]];
  const setups = [];
  try {
    for (const stored of chosen) {
      const setup = await startTodoMcpRow({ todos: makeTodos(stored, { owners: 100, ownerPrefix: 'owner', contentPrefix: 'Stored todo' }), stateless: false, connections: 1 });
      setups.push(setup);
      const home = join(options.cwd, `home-${stored}`);
      const token = await setup.issuer.sign({ audience: setup.server.resource });
      await writeTokenStore(home, { server: setup.server.mcpUrl, resource: setup.server.resource, issuer: setup.issuer, token });
      setup.args = [BIN, 'call', 'get-todos', '--server', setup.server.mcpUrl, '--no-login'];
      setup.options = { ...options, env: { ...env, TODO_MCP_HOME: home } };
    }
    const times = chosen.map(() => []);
    for (let i = warmupRun ? -1 : 0; i < runs; i += 1) {
      for (const [k, setup] of setups.entries()) {
        const one = await medianWall(setup.args, setup.options, 1, { warmupRun: false, check: (out) => out.includes('Stored todo 1 ') });
        if (i >= 0) times[k].push(one.medianMs);
      }
    }
    const summary = times.map((list, k) => {
      const sorted = [...list].sort((x, y) => x - y);
      const mid = sorted.length >> 1;
      return { stored: chosen[k], medianMs: sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2), minMs: sorted[0], maxMs: sorted[sorted.length - 1], runs };
    });
    const ratioToFirst = Math.round((summary[1].medianMs / summary[0].medianMs) * 100) / 100;
    summary[1] = { ...summary[1], ratioToFirst, target: CALL_GROWTH_TARGET, meetsTarget: ratioToFirst <= CALL_GROWTH_TARGET };
    return summary;
  } finally {
    for (const setup of setups) await setup.close();
  }
}

/**
 * Section 3: wall time of `todo-mcp --help` and of `todo-mcp call get-todos` with a cached token (a
 * tokens.json written the way the token store keeps it), against `todo-mcp serve` in another process, each
 * run as a user runs it (`node bin/todo-mcp.js …`). The reference row `node -e 0` (Node's own start-up, the
 * floor on this machine) runs with exactly the same environment (a minimal one: no NODE_OPTIONS, no
 * NODE_EXTRA_CA_CERTS, which alone adds ~50 ms to every start) and alternates with the measured rows; the
 * targets are multiples of it. A second reference row only loads the code `call` runs (dist/bundle/main.cjs and hot.cjs).
 */
export async function runCliStartup({ runs, warmupRun = true, log, storedSizes = [] }) {
  const home = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-cli-'));
  // An empty working directory (no todo-mcp.config.json) and a private home: nothing of the user's is read.
  const env = { PATH: process.env.PATH, HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp'), NO_COLOR: '1' };
  const options = { env, cwd: home };
  const setup = await startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless: false, connections: 1 });
  const { issuer } = setup;
  try {
    const server = setup.server.mcpUrl;
    const token = await issuer.sign({ audience: setup.server.resource });
    await writeTokenStore(env.TODO_MCP_HOME, { server, resource: setup.server.resource, issuer, token });
    const [nodeFloor, help, loadCall, call] = await alternating(
      [
        { argv: ['-e', '0'] },
        { argv: [BIN, '--help'], check: (out) => out.includes('Usage: todo-mcp') },
        { argv: ['-e', CLI_LAYERS.map((file) => `require(${JSON.stringify(file)});`).join(' ')] },
        { argv: [BIN, 'call', 'get-todos', '--server', server, '--no-login'], check: (out) => out.includes('Seed todo 1') },
      ],
      options,
      runs,
      warmupRun,
    );
    const times = (row) => Math.round((row.medianMs / nodeFloor.medianMs) * 100) / 100;
    const result = {
      nodeFloor,
      loadCall,
      help: { ...help, timesNode: times(help), targetTimesNode: HELP_TARGET_X, meetsTarget: times(help) <= HELP_TARGET_X },
      call: { ...call, timesNode: times(call), targetTimesNode: CALL_TARGET_X, meetsTarget: times(call) <= CALL_TARGET_X },
      stored: await callAtSizes({ sizes: storedSizes, runs, warmupRun, options, env }),
    };
    log(`cli start-up: node -e 0 ${nodeFloor.medianMs} ms; --help ${help.medianMs} ms (${times(help)}×); require main.cjs + hot.cjs ${loadCall.medianMs} ms; call get-todos ${call.medianMs} ms (${times(call)}×) (medians of ${runs}, alternating)`);
    return result;
  } finally {
    await setup.close();
    await rm(home, { recursive: true, force: true });
  }
}
