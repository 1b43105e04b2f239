import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { EXIT } from '../../src/cli/cli-error.js';
import { DEFAULT_DEV_ACCOUNTS, DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startDevAuthServer, type DevAuthServer } from '../../src/dev-auth/start-dev-auth-server.js';
import { startTodoServer, type RunningTodoServer } from '../../src/server/start-todo-server.js';
import { browse } from '../helpers/dev-auth-browser.js';
import { landOnCallback, signInWithForm, startBrowserRelay, type BrowserBehaviour, type BrowserRelay } from '../helpers/browser-relay.js';
import { runCli } from '../helpers/run-cli.js';
import { invalidJsonRpcLines, startBridgeHost, stdoutFileIn, type BridgeHost } from './helpers/bridge-host.js';
import { startRawBridge } from './helpers/raw-bridge.js';

/**
 * What the host sees when forwarding cannot succeed: a JSON-RPC error with a message that says what
 * happened and what to do (and `data.code`, the stable todo-mcp code), never a dead pipe. The servers
 * run in this process (the development authorization server with one more account, carol, who has no
 * role and so can never get a scope); the bridge is the real CLI.
 */
let root: string;
let auth: DevAuthServer;
let server: RunningTodoServer;
const relays: BrowserRelay[] = [];
const hosts: BridgeHost[] = [];
let count = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-bridge-failures-'));
  const port = await freePort();
  const resource = `http://localhost:${port}`;
  auth = await startDevAuthServer({
    port: 0,
    resources: [resource],
    dataDir: join(root, 'dev-auth'),
    accounts: [...DEFAULT_DEV_ACCOUNTS, { username: 'carol', password: 'carol-dev', roles: [] }],
  });
  server = await startTodoServer({
    config: { port, host: '127.0.0.1', resource, issuer: auth.issuer, authPort: 0, dataFile: join(root, 'todos.json'), allowedOrigins: [], stateless: false },
  });
});
afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close().catch(() => undefined)));
  await Promise.all(relays.map((relay) => relay.close()));
  await server?.close();
  await auth?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function terminal(behaviour: BrowserBehaviour) {
  const home = join(root, `home-${(count += 1)}`);
  await mkdir(home, { recursive: true });
  const relay = await startBrowserRelay(behaviour);
  relays.push(relay);
  return { home, relay, env: { HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp'), ...relay.env } };
}

/** The McpError a promise rejects with. */
async function mcpError(promise: Promise<unknown>): Promise<McpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof McpError)) throw new Error(`expected an McpError, got ${String(error)}`);
  return error;
}

describe('errors reach the host as JSON-RPC errors', { timeout: 120_000 }, () => {
  it('scope not granted after step-up: the call fails naming the scope and the roles that grant it; the bridge keeps serving', async () => {
    const carol = await terminal(signInWithForm({ username: 'carol', password: 'carol-dev' }));
    const host = await startBridgeHost({ args: [server.mcpUrl], env: carol.env, cwd: carol.home, stdoutFile: stdoutFileIn(carol.home, 'out'), timeoutMs: 60_000 });
    hosts.push(host);
    const error = await mcpError(host.client.callTool({ name: 'create-todo', arguments: { content: 'never' } }));
    expect(error.code).toBe(-32000);
    expect(error.message).toContain(`${server.mcpUrl} needs the scope create:todos, which signing in again did not grant. It comes with the role Admin or User: ask an administrator for it`);
    expect(error.data).toEqual({ code: 'insufficient_scope', scopes: ['create:todos'] });
    // One login because there was no token, one step-up; never a third.
    expect(carol.relay.opened).toHaveLength(2);
    expect(carol.relay.failures).toEqual([]);

    const listed = await host.client.callTool({ name: 'get-todos', arguments: {} });
    expect(listed.structuredContent).toEqual({ todos: [], scope: 'own' });
    await host.close();
    expect(invalidJsonRpcLines(await host.stdoutLines())).toEqual([]);
  });

  it('login refused (the user denies consent): the host\'s initialize fails with the reason, not a dead pipe', async () => {
    const bob = await terminal(async (url) => {
      const walk = await browse(url, { username: 'bob', password: DEV_PASSWORDS.bob, consent: 'deny', isCallback: (u) => u.hostname === '127.0.0.1' });
      await landOnCallback(walk.callbackUrl!);
    });
    const raw = startRawBridge([server.mcpUrl], { env: bob.env, cwd: bob.home });
    raw.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    const answer = await raw.answer(1, 60_000);
    expect(answer.error.code).toBe(-32000);
    expect(answer.error.message).toMatch(/The authorization server refused the login: access_denied/);
    expect(answer.error.data).toEqual({ code: 'login_failed' });
    raw.endInput();
    expect(await raw.exited).toEqual({ code: 0, signal: null });
    expect(invalidJsonRpcLines([...raw.lines(), ''])).toEqual([]);
  });

  it('--no-login without a stored login: each request is answered "not logged in" with the command that fixes it', async () => {
    const nobody = await terminal(async () => undefined);
    const raw = startRawBridge([server.mcpUrl, '--no-login'], { env: nobody.env, cwd: nobody.home });
    raw.send({ jsonrpc: '2.0', id: 'a', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    const answer = await raw.answer('a');
    expect(answer.error).toEqual({
      code: -32000,
      message: `Not logged in to ${server.mcpUrl}.\nLog in with: todo-mcp login ${server.mcpUrl}`,
      data: { code: 'not_logged_in' },
    });
    expect(nobody.relay.opened).toHaveLength(0);
    raw.endInput();
    expect((await raw.exited).code).toBe(0);
  });

  it('server unreachable: every request gets an error saying so, the bridge stays up and exits 0 when stdin ends', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    const home = join(root, 'unreachable');
    await mkdir(home, { recursive: true });
    const raw = startRawBridge([url], { env: { TODO_MCP_HOME: join(home, 'todo-mcp') }, cwd: home });
    for (const id of [1, 2]) {
      raw.send({ jsonrpc: '2.0', id, method: id === 1 ? 'initialize' : 'ping', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      const answer = await raw.answer(id);
      expect(answer.error).toEqual({ code: -32000, message: `Cannot reach ${url} (ECONNREFUSED). Is the server running?`, data: { code: 'unreachable' } });
    }
    raw.endInput();
    expect(await raw.exited).toEqual({ code: 0, signal: null });
  });
});

describe('connect flags', () => {
  const connect = (args: string[], env: Record<string, string> = {}) => runCli(['connect', 'http://127.0.0.1:9/mcp', ...args], { env, cwd: root });

  it('refuses --header Authorization: the login owns it (exit 2), and says how to choose the account', async () => {
    const result = await connect(['--header', 'Authorization: Bearer abc']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--header cannot set Authorization: the bridge sends the token from your todo-mcp login');
    expect(result.stderr).not.toContain('abc');
    expect(result.stdout).toBe('');
  });

  it('refuses malformed headers, transport headers and unset ${VAR}s without echoing values (exit 2)', async () => {
    for (const [header, message] of [
      ['no colon here', '--header must look like "Name: value"'],
      ['Mcp-Session-Id: 123', '--header cannot set Mcp-Session-Id: the MCP transport sets it.'],
      ['X-Key: ${TODO_MCP_TEST_UNSET_VARIABLE}', '--header X-Key uses ${TODO_MCP_TEST_UNSET_VARIABLE}, which is not set in the environment.'],
    ] as const) {
      const result = await connect(['--header', header]);
      expect(result.code, header).toBe(EXIT.usage);
      expect(result.stderr, header).toContain(message);
    }
  });

  it('answers to its alias: todo-mcp bridge --help', async () => {
    const result = await runCli(['bridge', '--help'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: todo-mcp connect|bridge [options] [server-url]');
  });
});
