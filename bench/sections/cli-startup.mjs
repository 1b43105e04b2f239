import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';

const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));
const CALL_MODULE = new URL('../../dist/cli/call.js', import.meta.url).href;

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

/**
 * Section 3: wall time of `todo-mcp --help` and of `todo-mcp call get-todos` with a cached token (a
 * tokens.json written the way the token store keeps it), against a todo-mcp server in another process.
 * Two reference rows say where the time goes: `node -e 0` (Node's own start-up, the floor on this
 * machine) and importing the `call` command's module graph without running it.
 */
export async function runCliStartup({ runs, warmupRun = true, log }) {
  const home = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-cli-'));
  // An empty working directory (no todo-mcp.config.json) and a private home: nothing of the user's is read.
  const env = { PATH: process.env.PATH, HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp'), NO_COLOR: '1' };
  const options = { env, cwd: home };
  const setup = await startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless: false, connections: 1 });
  const { issuer } = setup;
  try {
    const nodeFloor = await medianWall(['-e', '0'], options, runs, { warmupRun });
    const help = await medianWall([BIN, '--help'], options, runs, { warmupRun, check: (out) => out.includes('Usage: todo-mcp') });
    const importCall = await medianWall(['--input-type=module', '-e', `await import(${JSON.stringify(CALL_MODULE)})`], options, runs, { warmupRun });
    const server = setup.server.mcpUrl;
    const token = await issuer.sign({ audience: setup.server.resource });
    await writeTokenStore(env.TODO_MCP_HOME, { server, resource: setup.server.resource, issuer, token });
    const callArgs = [BIN, 'call', 'get-todos', '--server', server, '--no-login'];
    const call = await medianWall(callArgs, options, runs, { warmupRun, check: (out) => out.includes('Seed todo 1') });
    const result = {
      nodeFloor,
      importCall,
      help: { ...help, target: 150, meetsTarget: help.medianMs <= 150 },
      call: { ...call, target: 350, meetsTarget: call.medianMs <= 350 },
    };
    log(`cli start-up: node -e 0 ${nodeFloor.medianMs} ms; --help ${help.medianMs} ms; import call.js ${importCall.medianMs} ms; call get-todos ${call.medianMs} ms (medians of ${runs})`);
    return result;
  } finally {
    await setup.close();
    await rm(home, { recursive: true, force: true });
  }
}
