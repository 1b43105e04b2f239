import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';

const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));

function run(args, { env, cwd }) {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(process.execPath, [BIN, ...args], { env, cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ ms: performance.now() - started, code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Median wall time of `runs` runs, after one unmeasured run that warms the file cache (unless
 * `warmupRun` is false); every run must exit 0 and print what `check` expects.
 */
async function medianWall(args, options, runs, { warmupRun, check }) {
  const times = [];
  for (let i = warmupRun ? -1 : 0; i < runs; i += 1) {
    const result = await run(args, options);
    if (result.code !== 0 || !check(result.stdout)) {
      throw new Error(`todo-mcp ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.slice(0, 400)}`);
    }
    if (i >= 0) times.push(result.ms);
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { medianMs: Math.round(median), minMs: Math.round(times[0]), maxMs: Math.round(times[times.length - 1]), runs };
}

/** A tokens.json as the CLI's token store writes it, holding one valid login for `server`. */
async function writeTokenStore(home, { server, resource, issuer, token }) {
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

/**
 * Section 3: wall time of `todo-mcp --help` and of `todo-mcp call get-todos` with a cached token (a
 * tokens.json written the way the token store keeps it), against a todo-mcp server in another process.
 */
export async function runCliStartup({ runs, warmupRun = true, log }) {
  const home = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-cli-'));
  // An empty working directory (no todo-mcp.config.json) and a private home: nothing of the user's is read.
  const env = { PATH: process.env.PATH, HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp'), NO_COLOR: '1' };
  const options = { env, cwd: home };
  const setup = await startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless: false, connections: 1 });
  const { issuer } = setup;
  try {
    const help = await medianWall(['--help'], options, runs, { warmupRun, check: (out) => out.includes('Usage: todo-mcp') });
    const server = setup.server.mcpUrl;
    const token = await issuer.sign({ audience: setup.server.resource });
    await writeTokenStore(env.TODO_MCP_HOME, { server, resource: setup.server.resource, issuer, token });
    const call = await medianWall(['call', 'get-todos', '--server', server, '--no-login'], options, runs, { warmupRun, check: (out) => out.includes('Seed todo 1') });
    const result = {
      help: { ...help, target: 150, meetsTarget: help.medianMs <= 150 },
      call: { ...call, target: 350, meetsTarget: call.medianMs <= 350 },
    };
    log(`cli start-up: --help median ${help.medianMs} ms; call get-todos median ${call.medianMs} ms (${runs} runs each)`);
    return result;
  } finally {
    await setup.close();
    await rm(home, { recursive: true, force: true });
  }
}
