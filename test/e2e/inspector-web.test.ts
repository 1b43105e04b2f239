import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { loginWithPassword } from '../helpers/dev-auth-login.js';
import { launchTestBrowser, type TestBrowser } from './support/chromium.js';
import { signInAndConsent, signOutOfDevServer } from './support/dev-sign-in.js';
import { startInspectorWeb, type InspectorWeb } from './support/inspector.js';
import {
  clearOAuthAndDisconnect,
  listTools,
  readNetworkLog,
  readOAuthDetails,
  runTool,
  toggleConnection,
  waitForStatus,
  type NetworkEntry,
} from './support/inspector-page.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

/**
 * The tutorial's checkpoint, done by the real MCP Inspector web UI in headless Chromium against
 * `todo-mcp serve` on the embedded default. Screenshots: test-artifacts/e2e/inspector-web/.
 */
interface Todo {
  id: string;
  content: string;
  ownerId: string;
}

let root: string;
let serve: ServeProcess;
let inspector: InspectorWeb;
let browser: TestBrowser;
let bobTodo: Todo;
let aliceTodo: Todo;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-e2e-inspector-'));
  serve = await startServe({ dir: root });
  inspector = await startInspectorWeb({ target: { serverUrl: serve.mcpUrl }, home: join(root, 'inspector-home') });
  browser = await launchTestBrowser('inspector-web');
  bobTodo = await createTodoAsBob('bob: walk the dog');
});

afterAll(async () => {
  await browser?.close();
  await inspector?.stop();
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Someone else's todo, made outside the Inspector, so "only alice's" means something. */
async function createTodoAsBob(content: string): Promise<Todo> {
  const { tokens } = await loginWithPassword({ issuer: serve.issuer, username: 'bob', password: DEV_PASSWORDS.bob, resource: serve.resource });
  const client = new Client({ name: 'e2e-bob', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(serve.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${tokens.access_token}` } } }));
  try {
    const result = await client.callTool({ name: 'create-todo', arguments: { content } });
    return (result.structuredContent as { todo: Todo }).todo;
  } finally {
    await client.close();
  }
}

/** On our sign-in page (the Inspector sent the browser there): sign in, read and approve the consent page. */
const signIn = (username: keyof typeof DEV_PASSWORDS) =>
  signInAndConsent(browser, { authOrigin: new URL(serve.issuer).origin, returnOrigin: inspector.origin, username, password: DEV_PASSWORDS[username] });

/** Asserts `entries` contains requests matching `expected`, in this order (other requests may come between). */
function expectInOrder(entries: NetworkEntry[], expected: Array<{ method: string; url: RegExp | string; status: number }>): void {
  let from = 0;
  for (const want of expected) {
    const at = entries.findIndex((e, i) => i >= from && e.method === want.method && e.status === want.status && (typeof want.url === 'string' ? e.url === want.url : want.url.test(e.url)));
    expect(at, `${want.method} ${want.url} ${want.status} after #${from} in\n${entries.map((e) => `${e.method} ${e.url} ${e.status}`).join('\n')}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('MCP Inspector web UI (headless Chromium) against todo-mcp serve', () => {
  it("Chromium's CORS lets a page at the Inspector's origin read the 401 challenge and the PRM (what in-browser MCP clients need)", async () => {
    // Inspector 2.12 sends its MCP and OAuth requests from its Node backend, so it never exercises our
    // CORS headers; a browser-side client does, and Chromium is the one enforcing them here.
    const { page } = browser;
    await page.goto(inspector.url);
    const seen = await page.evaluate(async (mcpUrl) => {
      const challenge = await fetch(mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      const prmUrl = /resource_metadata="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')?.[1];
      const prm = prmUrl ? await (await fetch(prmUrl)).json() : undefined;
      return { status: challenge.status, prmUrl, prm };
    }, serve.mcpUrl);
    expect(seen.status).toBe(401);
    expect(seen.prmUrl).toBe(`${new URL(serve.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`);
    expect(seen.prm).toMatchObject({ resource: serve.resource, authorization_servers: [serve.issuer] });
  });

  it('connects as alice: 401, Protected Resource Metadata, AS metadata, dynamic registration, our sign-in page, consent, token', async () => {
    const { page } = browser;
    await page.goto(inspector.url);
    await waitForStatus(page, 'disconnected');
    await browser.screenshot('disconnected');

    await toggleConnection(page);
    const consent = await signIn('alice');
    expect(consent).toContain('asks to act as alice');
    expect(consent).toMatch(/read:todos .*not granted/);
    await waitForStatus(page, 'connected');
    await browser.screenshot('connected-alice');

    const origin = new URL(serve.mcpUrl).origin;
    expectInOrder(await readNetworkLog(page), [
      { method: 'POST', url: serve.mcpUrl, status: 401 },
      { method: 'GET', url: new RegExp(`^${escape(origin)}/\\.well-known/oauth-protected-resource(/mcp)?$`), status: 200 },
      { method: 'GET', url: new RegExp(`^${escape(new URL(serve.issuer).origin)}/\\.well-known/(oauth-authorization-server|openid-configuration)`), status: 200 },
      { method: 'POST', url: `${serve.issuer}/reg`, status: 201 },
      { method: 'POST', url: `${serve.issuer}/token`, status: 200 },
      { method: 'POST', url: serve.mcpUrl, status: 200 },
    ]);
    const oauth = await readOAuthDetails(page);
    expect(oauth).toMatchObject({ Status: 'AUTHORIZED', 'Client registration': 'Dynamic (DCR)' });
    expect(oauth.Scopes?.split(/[\s,]+/)).toContain('create:todos');
    expect(oauth.Scopes).not.toContain('read:todos');
  });

  it('lists exactly the three tools', async () => {
    const tools = await listTools(browser.page);
    await browser.screenshot('tools');
    expect(tools.count).toBe(3);
    expect(tools.names.sort()).toEqual(['create-todo', 'delete-todo', 'get-todos']);
  });

  it("runs create-todo and get-todos as alice, who sees only her own todos", async () => {
    const made = await runTool(browser.page, 'create-todo', { content: 'alice: buy milk' });
    await browser.screenshot('create-todo-alice');
    expect(made).toMatchObject({ status: 'ok', isError: false });
    expect(made.text).toMatch(/^Created todo \S+ +alice: buy milk$/);
    aliceTodo = (made.structured as { todo: Todo }).todo;
    expect(aliceTodo).toMatchObject({ content: 'alice: buy milk', ownerId: 'alice' });

    const listed = await runTool(browser.page, 'get-todos');
    await browser.screenshot('get-todos-alice');
    expect(listed).toMatchObject({ status: 'ok', isError: false, structured: { scope: 'own' } });
    const todos = (listed.structured as { todos: Todo[] }).todos;
    expect(todos.map((t) => t.id)).toEqual([aliceTodo.id]);
    expect(listed.text).not.toContain(bobTodo.content);
    // The server saw the same calls under alice's identity.
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requests().some((r) => r.method === 'POST' && r.tool === 'create-todo' && r.sub === 'alice' && r.status === 200)).toBe(true), { timeout: 3_000 });
  });

  it("clears OAuth, signs in as admin, sees everyone's todos and deletes alice's", async () => {
    const { page } = browser;
    await clearOAuthAndDisconnect(page);
    await waitForStatus(page, 'disconnected');
    // The browser is still signed in to the authorization server as alice: sign out there, as a user would.
    await signOutOfDevServer(browser, serve.issuer);
    await page.goto(inspector.url);
    await waitForStatus(page, 'disconnected');
    await toggleConnection(page);
    const consent = await signIn('admin');
    expect(consent).toContain('asks to act as admin');
    expect(consent).toMatch(/delete:todos/);
    expect(consent).not.toContain('not granted');
    await waitForStatus(page, 'connected');
    await browser.screenshot('connected-admin');

    const all = await runTool(page, 'get-todos');
    await browser.screenshot('get-todos-admin');
    expect(all).toMatchObject({ status: 'ok', isError: false, structured: { scope: 'all' } });
    const owners = (all.structured as { todos: Todo[] }).todos.map((t) => `${t.ownerId}:${t.id}`).sort();
    expect(owners).toEqual([`alice:${aliceTodo.id}`, `bob:${bobTodo.id}`].sort());

    const deleted = await runTool(page, 'delete-todo', { id: aliceTodo.id });
    await browser.screenshot('delete-todo-admin');
    expect(deleted).toMatchObject({ status: 'ok', isError: false, structured: { deleted: { id: aliceTodo.id, ownerId: 'alice' } } });

    const after = await runTool(page, 'get-todos');
    expect((after.structured as { todos: Todo[] }).todos.map((t) => t.id)).toEqual([bobTodo.id]);
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requests().some((r) => r.method === 'POST' && r.tool === 'delete-todo' && r.sub === 'admin' && r.status === 200)).toBe(true), { timeout: 3_000 });
  });
});
