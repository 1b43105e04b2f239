import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EXIT } from '../../src/cli/cli-error.js';
import { isRequest, logEntries, type LogEntry, type RequestEntry } from '../helpers/log-lines.js';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { runCli, startCli, type CliProcess } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

const READY = /MCP endpoint\s+(http:\/\/localhost:(\d+)\/mcp)\s+resource\s+(\S+)/;
const PG_PASSWORD = 'pg-log-s3cret-pw';

let issuer: TestIssuer;
let dir: string;
const env = { TODO_MCP_LOG_LEVEL: undefined, TODO_MCP_LOG_FORMAT: undefined, TODO_MCP_CONFIG: undefined };

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-serve-log-'));
});
afterAll(async () => {
  await issuer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Served {
  serve: CliProcess;
  mcpUrl: string;
  resource: string;
}

async function serve(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Served> {
  const data = join(dir, `todos-${Math.random().toString(36).slice(2)}.json`);
  const cli = await startCli(['serve', '--port', '0', '--issuer', issuer.issuer, '--data', data, ...args], READY, { env: { ...env, ...extraEnv }, timeoutMs: 30_000 });
  return { serve: cli, mcpUrl: cli.match[1]!, resource: cli.match[3]! };
}

/**
 * What a user does with a token: a whole session (initialize, list, call), plus the ways a token shows up
 * in a request that fails: an invalid one, one in the query string, none. Returns the tokens used.
 */
async function traffic(served: Served): Promise<string[]> {
  const token = await issuer.sign({ sub: 'alice', scope: 'create:todos read:todos', aud: served.resource });
  const client = new Client({ name: 'log-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(served.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  await client.callTool({ name: 'create-todo', arguments: { content: 'logged, but not its token' } });
  await client.callTool({ name: 'get-todos', arguments: {} });
  await client.close();
  const forged = `${token.slice(0, -4)}AAAA`;
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
  expect((await post(served.mcpUrl, { authorization: `Bearer ${forged}` })).status).toBe(401);
  expect((await post(`${served.mcpUrl}?access_token=${token}`)).status).toBe(400);
  expect((await post(served.mcpUrl)).status).toBe(401);
  return [token, forged];
}

/** Waits (bounded) until the log holds `count` request lines: lines are written asynchronously. */
async function requestLines(served: Served, count: number): Promise<RequestEntry[]> {
  for (let i = 0; i < 100; i += 1) {
    const requests = logEntries(served.serve.output()).filter(isRequest);
    if (requests.length >= count) return requests;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} request lines in:\n${served.serve.output()}`);
}

function expectNoSecrets(output: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(output).not.toContain(secret);
  // Nor any part of one: the header's name, the scheme, a JWT's first segment.
  expect(output.toLowerCase()).not.toContain('authorization');
  expect(output).not.toMatch(/bearer /i);
  expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
}

describe('serve: the request log', { timeout: 120_000 }, () => {
  it('writes JSON lines to a pipe, one per request, with no token, header or query anywhere, even at debug level', async () => {
    const served = await serve(['--log-level', 'debug']);
    const secrets = await traffic(served);
    const requests = await requestLines(served, 7);
    expect(await served.serve.stop('SIGTERM')).toBe(EXIT.ok);
    const output = served.serve.output();
    expectNoSecrets(output, secrets);

    const entries = logEntries(output);
    const call = requests.find((entry) => entry.tool === 'get-todos')!;
    expect(call).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/mcp', rpc: 'tools/call', sub: 'alice', status: 200 });
    expect(Object.keys(call).sort()).toEqual(['level', 'method', 'ms', 'msg', 'path', 'rpc', 'status', 'sub', 'time', 'tool']);
    expect(typeof call.ms).toBe('number');
    expect(requests.filter((entry) => entry.status === 401 && entry.sub === undefined)).toHaveLength(2);
    expect(requests.some((entry) => entry.status === 400)).toBe(true);
    // The rejected token's reason is logged at debug, without the token.
    expect(entries.some((entry) => entry.level === 'debug' && entry.msg === 'access token rejected')).toBe(true);
    // Start and stop are log lines too, the last one written out before the process ended.
    expect(entries.find((entry) => entry.msg === 'listening')).toMatchObject({ mcpUrl: served.mcpUrl, resource: served.resource });
    expect(entries.at(-1)).toMatchObject({ level: 'info', msg: 'shutting down', signal: 'SIGTERM' });
    for (const line of output.split('\n').filter((l) => l.startsWith('{'))) expect(() => JSON.parse(line) as LogEntry).not.toThrow();
  });

  it('writes pretty lines with --log-format pretty, still without secrets', async () => {
    const served = await serve(['--log-format', 'pretty']);
    const secrets = await traffic(served);
    for (let i = 0; i < 100 && !/tool=get-todos/.test(served.serve.output()); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await served.serve.stop('SIGTERM');
    const output = served.serve.output();
    expectNoSecrets(output, secrets);
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}request method=POST path=\/mcp rpc=tools\/call tool=get-todos sub=alice status=200 ms=[\d.]+$/m);
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}shutting down signal=SIGTERM$/m);
    expect(logEntries(output)).toEqual([]);
  });

  it('writes nothing with --log-level silent, and only warnings and worse with TODO_MCP_LOG_LEVEL=warn', async () => {
    for (const [args, extra] of [[['--log-level', 'silent'], {}], [[], { TODO_MCP_LOG_LEVEL: 'warn' }]] as const) {
      const served = await serve([...args], extra);
      await traffic(served);
      await served.serve.stop('SIGTERM');
      expect(logEntries(served.serve.output())).toEqual([]);
      expect(served.serve.output()).toContain('MCP endpoint');
    }
  });

  it('refuses an unknown level or format with exit 2 and the choices', async () => {
    const level = await runCli(['serve', '--log-level', 'loud', '--port', '0', '--issuer', issuer.issuer], { env });
    expect(level.code).toBe(EXIT.usage);
    expect(level.stderr).toContain("option '--log-level <level>' argument 'loud' is invalid. Allowed choices are trace, debug, info, warn, error, fatal, silent.");
    const format = await runCli(['serve', '--port', '0', '--issuer', issuer.issuer], { env: { ...env, TODO_MCP_LOG_FORMAT: 'xml' } });
    expect(format.code).toBe(EXIT.usage);
    expect(format.stderr).toContain("value 'xml' from env 'TODO_MCP_LOG_FORMAT' is invalid. Allowed choices are json, pretty.");
  });
});

describe.skipIf(!POSTGRES.available)(`serve on PostgreSQL: the log${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, { timeout: 120_000 }, () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it("never shows the connection string's password, in the banner, the request log or the store's warnings", async () => {
    // Trust authentication ignores the password; it is in the connection string all the same.
    const url = (await cluster.createDatabase()).replace('postgres://postgres@', `postgres://postgres:${PG_PASSWORD}@`);
    const database = new URL(url).pathname.slice(1);
    const served = await serve(['--store', url, '--stateless', '--log-level', 'debug']);
    const secrets = await traffic(served);
    await requestLines(served, 7);
    // The server drops the store's idle connections: the store warns, naming the server with the password masked.
    await cluster.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    for (let i = 0; i < 100 && !served.serve.output().includes('idle PostgreSQL connection'); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await served.serve.stop('SIGTERM');
    const output = served.serve.output();
    expectNoSecrets(output, [...secrets, PG_PASSWORD]);
    expect(output).toContain(`todos stored in  postgres://postgres:***@127.0.0.1:${cluster.port}/${database}`);
    const warning = logEntries(output).find((entry) => entry.msg.includes('idle PostgreSQL connection'));
    expect(warning).toMatchObject({ level: 'warn', store: `postgres://postgres:***@127.0.0.1:${cluster.port}/${database}` });
  });
});
