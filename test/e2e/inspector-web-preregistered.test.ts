import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { launchTestBrowser, type TestBrowser } from './support/chromium.js';
import { signInAndConsent } from './support/dev-sign-in.js';
import { freePort, startInspectorWeb, type InspectorWeb } from './support/inspector.js';
import { enterOAuthClient, readNetworkLog, readOAuthDetails, runTool, toggleConnection, waitForStatus } from './support/inspector-page.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

/**
 * The README's recipe for an authorization server without dynamic registration (Logto): register a
 * native app with the Inspector's redirect URI, then type its client ID and the scopes into the
 * Inspector's server settings. Played against the embedded server, where "registering the app" is one
 * registration request made by the test beforehand, so the Inspector itself must not register.
 */
const SCOPES = 'create:todos read:todos delete:todos';

let root: string;
let serve: ServeProcess;
let inspector: InspectorWeb;
let browser: TestBrowser;
let catalog: string;
let clientId: string;
let redirectUri: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-e2e-inspector-static-'));
  serve = await startServe({ dir: root });
  // The redirect URI embeds the UI's port, so the port is fixed before the app is registered.
  const port = await freePort();
  redirectUri = `http://127.0.0.1:${port}/oauth/callback`;
  const registration = await fetch(`${serve.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'MCP Inspector (registered by hand)',
      application_type: 'native',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  expect(registration.status).toBe(201);
  clientId = ((await registration.json()) as { client_id: string }).client_id;
  // What "Add Servers → Add manually" writes: a Streamable HTTP server in the Inspector's catalog.
  catalog = join(root, 'mcp.json');
  await writeFile(catalog, JSON.stringify({ mcpServers: { 'todo-mcp': { type: 'streamable-http', url: serve.mcpUrl } } }, null, 2));
  inspector = await startInspectorWeb({ target: { catalog }, home: join(root, 'inspector-home'), port });
  browser = await launchTestBrowser('inspector-web-preregistered');
});

afterAll(async () => {
  await browser?.close();
  await inspector?.stop();
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('MCP Inspector web UI with a pre-registered client ID (the Logto recipe)', () => {
  it('shows the redirect URI to register and keeps the client ID and scopes typed into OAuth Settings', async () => {
    const { page } = browser;
    await page.goto(inspector.url);
    await waitForStatus(page, 'disconnected');
    const shown = await enterOAuthClient(page, { clientId, scopes: SCOPES }, () => browser.screenshot('oauth-settings'));
    expect(shown).toBe(redirectUri);
    // The Inspector saves settings as they are typed (no Save button); give the write a moment.
    let oauth: unknown;
    for (let i = 0; i < 20 && oauth === undefined; i += 1) {
      const saved = JSON.parse(await readFile(catalog, 'utf8')) as { mcpServers: Record<string, { oauth?: unknown }> };
      oauth = saved.mcpServers['todo-mcp']?.oauth;
      if (oauth === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(oauth).toEqual({ clientId, scopes: SCOPES });
  });

  it('connects with that client, without registering one, and runs a tool as alice', async () => {
    const { page } = browser;
    await toggleConnection(page);
    const consent = await signInAndConsent(browser, {
      authOrigin: new URL(serve.issuer).origin,
      returnOrigin: inspector.origin,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
    });
    expect(consent).toContain(`(client ${clientId})`);
    await waitForStatus(page, 'connected');
    await browser.screenshot('connected');

    const requests = await readNetworkLog(page);
    expect(requests.filter((r) => r.url === `${serve.issuer}/reg`)).toEqual([]);
    expect(requests.some((r) => r.method === 'POST' && r.url === `${serve.issuer}/token` && r.status === 200)).toBe(true);
    expect(await readOAuthDetails(page)).toMatchObject({ Status: 'AUTHORIZED', 'Client registration': 'Static (preregistered)', 'Client ID': clientId });

    const made = await runTool(page, 'create-todo', { content: 'alice: via a registered client' });
    await browser.screenshot('create-todo');
    expect(made).toMatchObject({ status: 'ok', isError: false, structured: { todo: { ownerId: 'alice' } } });
  });
});
