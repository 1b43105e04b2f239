import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import type { TokenFile } from '../../src/client/token-store.js';
import { signInWithForm, startBrowserRelay, type BrowserRelay } from '../helpers/browser-relay.js';
import { approveDeviceLogin } from '../helpers/dev-auth-login.js';
import { runCli } from '../helpers/run-cli.js';
import { startServe, type ServeProcess } from '../e2e/support/serve-process.js';
import { invalidJsonRpcLines, startBridgeHost, stdoutFileIn, waitForMatch, type BridgeHost } from './helpers/bridge-host.js';
import { startRawBridge } from './helpers/raw-bridge.js';

/**
 * `todo-mcp connect` between the SDK's own Client (a host, over stdio) and a real `todo-mcp serve` on
 * the embedded default: every piece a real process, logins through the real sign-in pages.
 */
type DevUser = keyof typeof DEV_PASSWORDS;

interface User {
  readonly name: DevUser;
  readonly home: string;
  readonly relay: BrowserRelay;
  readonly env: Record<string, string>;
  tokens(): Promise<TokenFile>;
  editTokens(change: (file: TokenFile) => void): Promise<void>;
}

let root: string;
let serve: ServeProcess;
const relays: BrowserRelay[] = [];
const hosts: BridgeHost[] = [];
let count = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-bridge-serve-'));
  serve = await startServe({ dir: root });
});
afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close().catch(() => undefined)));
  await Promise.all(relays.map((relay) => relay.close()));
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A user with their own todo-mcp home and a "browser" that signs them in; logged in first unless `login` is false. */
async function user(name: DevUser, options: { login?: boolean; scope?: string } = {}): Promise<User> {
  const home = join(root, `${name}-${(count += 1)}`);
  await mkdir(home, { recursive: true });
  const relay = await startBrowserRelay(signInWithForm({ username: name, password: DEV_PASSWORDS[name] }));
  relays.push(relay);
  const todoHome = join(home, 'todo-mcp');
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TODO_MCP_HOME: todoHome, ...relay.env };
  if (options.login !== false) {
    const args = ['login', ...(options.scope ? ['--scope', options.scope] : []), serve.mcpUrl];
    const login = await runCli(args, { env, cwd: home, timeoutMs: 60_000 });
    if (login.code !== 0) throw new Error(`login as ${name} failed (${login.code}): ${login.stderr}`);
  }
  const tokenFile = join(todoHome, 'tokens.json');
  const tokens = async () => JSON.parse(await readFile(tokenFile, 'utf8')) as TokenFile;
  return {
    name,
    home,
    relay,
    env,
    tokens,
    async editTokens(change) {
      const file = await tokens();
      change(file);
      await writeFile(tokenFile, JSON.stringify(file));
    },
  };
}

async function host(who: User, args: string[] = [], whileConnecting?: (stderr: () => string) => Promise<void>): Promise<BridgeHost> {
  const started = await startBridgeHost({
    ...(whileConnecting ? { whileConnecting } : {}),
    args: [serve.mcpUrl, ...args],
    env: who.env,
    cwd: who.home,
    stdoutFile: stdoutFileIn(who.home, `bridge-${(count += 1)}`),
    timeoutMs: 60_000,
  });
  hosts.push(started);
  return started;
}

async function call(bridge: BridgeHost, name: string, args: Record<string, unknown> = {}) {
  return CallToolResultSchema.parse(await bridge.client.callTool({ name, arguments: args }));
}

describe('todo-mcp connect against todo-mcp serve', { timeout: 120_000 }, () => {
  it('lists the tools and creates, reads and deletes a todo as alice; stdout holds only JSON-RPC lines, no token anywhere', async () => {
    const alice = await user('alice');
    const bridge = await host(alice);
    const { tools } = await bridge.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['create-todo', 'delete-todo', 'get-todos']);

    const created = await call(bridge, 'create-todo', { content: 'through the bridge' });
    expect(created.isError).toBeFalsy();
    const todo = (created.structuredContent as { todo: { id: string; content: string; ownerId: string } }).todo;
    expect(todo).toMatchObject({ content: 'through the bridge', ownerId: 'alice' });

    const listed = await call(bridge, 'get-todos');
    expect((listed.structuredContent as { todos: Array<{ id: string }> }).todos.map((t) => t.id)).toContain(todo.id);

    const deleted = await call(bridge, 'delete-todo', { id: todo.id });
    expect(deleted.structuredContent).toMatchObject({ deleted: { id: todo.id } });
    const again = await call(bridge, 'delete-todo', { id: todo.id });
    expect(again.isError).toBe(true);

    await bridge.close();
    const lines = await bridge.stdoutLines();
    expect(lines.length).toBeGreaterThan(6);
    expect(invalidJsonRpcLines(lines)).toEqual([]);
    const { accessToken, refreshToken } = (await alice.tokens()).entries[0]!;
    for (const secret of [accessToken, refreshToken!]) {
      expect(bridge.stderr()).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
    // The stored login was used as it was: no browser was opened after `todo-mcp login`.
    expect(alice.relay.opened).toHaveLength(1);
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requestLines().some((line) => line.startsWith('POST /mcp tools/call create-todo sub=alice 200'))).toBe(true), { timeout: 3_000 });
  });

  it("first use without a login: the host's initialize logs in through $BROWSER, with the login story on stderr and stdout still pure", async () => {
    const bob = await user('bob', { login: false });
    const bridge = await host(bob);
    expect(bob.relay.opened).toHaveLength(1);
    expect(bridge.stderr()).toContain(`Not logged in to ${serve.mcpUrl}; logging in.`);
    expect(bridge.stderr()).toMatch(/Logged in to .* as bob/);
    const created = await call(bridge, 'create-todo', { content: 'bob via the bridge' });
    expect(created.structuredContent).toMatchObject({ todo: { ownerId: 'bob' } });
    await bridge.close();
    expect(invalidJsonRpcLines(await bridge.stdoutLines())).toEqual([]);
    expect((await bob.tokens()).entries[0]).toMatchObject({ subject: 'bob' });
  });

  it('--no-browser prints the login URL on stderr only; signing in there lets the pending initialize through', async () => {
    const admin = await user('admin', { login: false });
    const bridge = await host(admin, ['--no-browser'], async (stderr) => {
      const [, url] = await waitForMatch(stderr, /Open this URL in a browser to log in:\s+(\S+)/);
      await signInWithForm({ username: 'admin', password: DEV_PASSWORDS.admin })(new URL(url!));
    });
    expect(admin.relay.opened).toHaveLength(0);
    const listed = await call(bridge, 'get-todos');
    expect(listed.structuredContent).toMatchObject({ scope: 'all' });
    await bridge.close();
    const lines = await bridge.stdoutLines();
    expect(invalidJsonRpcLines(lines)).toEqual([]);
    expect(lines.join('\n')).not.toContain('/oidc/auth');
  });

  it('--device prints the code on stderr only; approving it on the device page lets the pending initialize through', async () => {
    const bob = await user('bob', { login: false });
    const bridge = await host(bob, ['--device'], async (stderr) => {
      const [, verificationUri, userCode] = await waitForMatch(stderr, /open (\S+) on any device and enter the code:\s+(\S+)/);
      await approveDeviceLogin({ verificationUri: verificationUri!, userCode: userCode!, username: 'bob', password: DEV_PASSWORDS.bob });
    });
    expect(bob.relay.opened).toHaveLength(0);
    expect((await call(bridge, 'get-todos')).structuredContent).toMatchObject({ scope: 'own' });
    await bridge.close();
    const lines = await bridge.stdoutLines();
    expect(invalidJsonRpcLines(lines)).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/enter the code/);
  });

  it('token expiry mid-session: the next call refreshes silently (no browser, no prompt) and goes through', async () => {
    const alice = await user('alice');
    const bridge = await host(alice);
    await call(bridge, 'get-todos');
    const before = (await alice.tokens()).entries[0]!;
    await alice.editTokens((file) => {
      (file.entries[0] as { expiresAt?: number }).expiresAt = Math.floor(Date.now() / 1000) - 60;
    });
    const listed = await call(bridge, 'get-todos');
    expect(listed.isError).toBeFalsy();
    const after = (await alice.tokens()).entries[0]!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(alice.relay.opened).toHaveLength(1);
    expect(bridge.stderr()).not.toMatch(/logging in/i);
  });

  it('a token the server refuses (401) mid-session is refreshed once, without a login, and the call goes through', async () => {
    const alice = await user('alice');
    const bridge = await host(alice);
    await alice.editTokens((file) => {
      (file.entries[0] as { accessToken: string }).accessToken = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.forged';
    });
    const listed = await call(bridge, 'get-todos');
    expect(listed.isError).toBeFalsy();
    expect((await alice.tokens()).entries[0]!.accessToken).not.toContain('forged');
    expect(alice.relay.opened).toHaveLength(1);
    expect(bridge.stderr()).not.toMatch(/logging in/i);
  });

  it('step-up: a create-todo refused with 403 insufficient_scope logs in again for create:todos, then succeeds', async () => {
    // alice asked for read:todos only (her role does not grant it): her token carries no create:todos.
    const alice = await user('alice', { scope: 'read:todos' });
    expect((await alice.tokens()).entries[0]!.scopesGranted).not.toContain('create:todos');
    const bridge = await host(alice);
    const created = await call(bridge, 'create-todo', { content: 'after step-up' });
    expect(created.structuredContent).toMatchObject({ todo: { content: 'after step-up', ownerId: 'alice' } });
    expect(bridge.stderr()).toContain(`${serve.mcpUrl} needs more permissions (create:todos); logging in again to get them.`);
    expect(alice.relay.opened).toHaveLength(2);
    expect(alice.relay.opened[1]!.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['create:todos', 'read:todos']));
    expect((await alice.tokens()).entries[0]!.scopesGranted).toContain('create:todos');
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requestLines().some((line) => /^POST \/mcp tools\/call create-todo sub=alice 403/.test(line))).toBe(true), { timeout: 3_000 });
  });

  it('stdin closed: answers what was asked, DELETEs the remote session and exits 0', async () => {
    const alice = await user('alice');
    const raw = startRawBridge([serve.mcpUrl], { env: alice.env, cwd: alice.home });
    await raw.initialize();
    raw.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    // Ended right after the request, as a script piping a few messages would.
    raw.endInput();
    expect((await raw.answer(2)).result.tools).toHaveLength(3);
    expect(await raw.exited).toEqual({ code: 0, signal: null });
    expect(invalidJsonRpcLines([...raw.lines(), ''])).toEqual([]);
    await waitForMatch(() => serve.requestLines().join('\n'), /^DELETE \/mcp .*sub=alice 200/m, 5_000);
  });

  it('SIGTERM and SIGINT (Ctrl-C): DELETE the remote session and exit 143 / 130', async () => {
    const alice = await user('alice');
    const deletes = () => serve.requestLines().filter((line) => line.startsWith('DELETE /mcp')).length;
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const raw = startRawBridge([serve.mcpUrl], { env: alice.env, cwd: alice.home });
      await raw.initialize();
      // The request log writes in batches at least every 100 ms: count once earlier lines are on the pipe.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = deletes();
      raw.kill(signal);
      expect(await raw.exited, signal).toEqual({ code, signal: null });
      await vi.waitFor(() => expect(deletes(), signal).toBe(before + 1), { timeout: 3_000 });
    }
  });
});
