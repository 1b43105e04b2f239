import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWTPayload } from 'jose';
import { EXIT } from '../../src/cli/cli-error.js';
import { createTokenStore, putEntry, type TokenFile } from '../../src/client/token-store.js';
import { startTodoServer } from '../../src/server/start-todo-server.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { startTestIssuer } from '../helpers/test-issuer.js';

interface Report {
  ok: boolean;
  checks: Array<{ id: string; status: string; detail: string; fix?: string }>;
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-doctor-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function doctor(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number | null; report: Report; stdout: string }> {
  const r = await runCliInProcess(['doctor', ...args, '--json'], { env, cwd: cwd ?? (await tempDir()) });
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`doctor printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stdout: r.stdout };
}

const byId = (report: Report, id: string) => report.checks.find((c) => c.id === id);

describe('doctor on the embedded default', { timeout: 120_000 }, () => {
  let fx: ClientFixture;
  beforeAll(async () => {
    fx = await startClientFixture();
  });
  afterAll(() => fx?.close());

  it('all ok after login, exit 0, with a readable text report', async () => {
    const alice = await fx.user('alice');
    expect((await alice.cli(['login', fx.server.mcpUrl])).code).toBe(0);
    // The binary, as a user runs it (the wiring of `doctor`); the rest of this file runs the CLI in-process.
    const text = await alice.cli(['doctor', fx.server.mcpUrl], { spawn: true });
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toContain('No problems found.');
    const json = await alice.cli(['doctor', fx.server.mcpUrl, '--json']);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    for (const id of ['server', 'prm', 'prm-resource', 'issuer', 'pkce', 'jwks', 'login-client', 'token-format', 'token-aud', 'test-call']) expect(byId(report, id)?.status, id).toBe('ok');
    expect(byId(report, 'login-client')!.detail).toBe(`dynamic client registration at ${fx.server.issuer}/reg.`);
    expect(json.stdout).not.toContain((await alice.tokens())!.entries[0]!.accessToken);
  });

  it('makes its test call through the session `call` uses: an access token past its stored expiry is refreshed first', async () => {
    const bob = await fx.user('bob');
    expect((await bob.cli(['login', '--client-id', 'todo-mcp-cli', fx.server.mcpUrl])).code).toBe(0);
    const file = join(bob.home, 'tokens.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as TokenFile;
    const before = stored.entries[0]!;
    expect(before.refreshToken).toBeDefined();
    (stored.entries[0] as { expiresAt?: number }).expiresAt = Math.floor(Date.now() / 1000) - 60;
    await writeFile(file, JSON.stringify(stored));

    const json = await bob.cli(['doctor', fx.server.mcpUrl, '--json']);
    const report = JSON.parse(json.stdout) as Report;
    expect(byId(report, 'test-call'), json.stdout).toMatchObject({ status: 'ok' });
    const after = (await bob.tokens())!.entries[0]!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated, as a `call` would have
  });
});

describe('doctor names what is broken', { timeout: 60_000 }, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  async function homeWithToken(claims: JWTPayload | string, refresh = false): Promise<Record<string, string>> {
    const home = await tempDir();
    const accessToken = typeof claims === 'string' ? claims : await t.token('alice', 'create:todos', claims);
    await createTokenStore({ dir: home }).update((data) => {
      putEntry(data, {
        server: t.server.mcpUrl,
        resource: t.server.resource,
        issuer: t.issuer.issuer,
        authorizationServer: { issuer: t.issuer.issuer },
        client: { clientId: 'c', authMethod: 'none', kind: 'pre-registered' },
        accessToken,
        tokenType: 'Bearer',
        ...(refresh ? { refreshToken: 'r' } : {}),
        scopesRequested: [],
        scopesGranted: [],
        updatedAt: Math.floor(Date.now() / 1000),
      });
    });
    return { TODO_MCP_HOME: home };
  }

  it('a valid token: ok, and the test call runs', async () => {
    const { code, report } = await doctor([t.server.mcpUrl], { ...(await homeWithToken({})), TODO_MCP_CLIENT_ID: 'native-app' });
    expect(code).toBe(0);
    expect(byId(report, 'test-call')?.status).toBe('ok');
    expect(byId(report, 'login-client')).toMatchObject({ status: 'ok', detail: 'pre-registered client id "native-app".' });
  });

  it('resource with a trailing-slash mismatch', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify({ resource: `${t.server.resource}/` }));
    const { code, report } = await doctor([t.server.mcpUrl], {}, cwd);
    expect(code).toBe(EXIT.problemsFound);
    const check = byId(report, 'configured-resource')!;
    expect(check.status).toBe('error');
    expect(check.detail).toContain('trailing slash');
    expect(check.fix).toMatch(/byte for byte/);
  });

  it('a token for another audience', async () => {
    const { code, report } = await doctor([t.server.mcpUrl], await homeWithToken({ aud: 'https://other.example' }));
    expect(code).toBe(EXIT.problemsFound);
    expect(byId(report, 'token-aud')).toMatchObject({ status: 'error' });
    expect(byId(report, 'token-aud')!.detail).toContain('another audience');
  });

  it('an opaque token', async () => {
    const { code, report } = await doctor([t.server.mcpUrl], await homeWithToken('opaque-abcdefghijklmnop'));
    expect(code).toBe(EXIT.problemsFound);
    expect(byId(report, 'token-format')).toMatchObject({ status: 'error' });
    expect(byId(report, 'token-format')!.fix).toContain('resource');
  });

  it('an expired token without a refresh token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { code, report } = await doctor([t.server.mcpUrl], await homeWithToken({ exp: now - 3600, iat: now - 7200 }));
    expect(code).toBe(EXIT.problemsFound);
    expect(byId(report, 'token-exp')).toMatchObject({ status: 'error' });
    expect(byId(report, 'token-exp')!.fix).toContain('todo-mcp login');
  });

  it('a token missing create:todos', async () => {
    const { code, report } = await doctor([t.server.mcpUrl], await homeWithToken({ scope: 'read:todos' }));
    expect(code).toBe(EXIT.problemsFound);
    const check = byId(report, 'scope-create-todo')!;
    expect(check.status).toBe('error');
    expect(check.detail).toContain('create:todos');
    expect(check.fix).toMatch(/User|Admin/);
  });

  it('the server is not running', async () => {
    const { code, report } = await doctor(['http://127.0.0.1:9/mcp']);
    expect(code).toBe(EXIT.problemsFound);
    expect(byId(report, 'server')).toMatchObject({ status: 'error' });
  });
});

describe('doctor and the authorization server', { timeout: 60_000 }, () => {
  it('issuer unreachable, then JWKS 404', async () => {
    const issuer = await startTestIssuer();
    const data = join(await tempDir(), 'todos.json');
    const server = await startTodoServer({
      config: { port: 0, host: '127.0.0.1', resource: undefined, issuer: issuer.issuer, authPort: 0, dataFile: data, allowedOrigins: [], stateless: false },
    });
    try {
      issuer.setJwksStatus(404);
      const jwks = await doctor([server.mcpUrl]);
      expect(jwks.code).not.toBe(0);
      expect(byId(jwks.report, 'jwks')).toMatchObject({ status: 'error' });
      expect(byId(jwks.report, 'jwks')!.detail).toContain('404');

      await issuer.close();
      const down = await doctor([server.mcpUrl]);
      expect(down.code).not.toBe(0);
      const check = byId(down.report, 'issuer')!;
      expect(check.status).toBe('error');
      expect(check.detail).toContain('/.well-known/oauth-authorization-server/oidc');
    } finally {
      await server.close();
      await issuer.close().catch(() => undefined);
    }
  });
});

describe('doctor and the client side of login', { timeout: 60_000 }, () => {
  let t: TestServer;
  beforeAll(async () => {
    // Like Logto: no registration endpoint.
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('no registration endpoint and no client id: an error with the fix; --client-id or the config file makes it ok', async () => {
    const none = await doctor([t.server.mcpUrl]);
    expect(none.code).not.toBe(0);
    expect(none.report.ok).toBe(false);
    const check = byId(none.report, 'login-client')!;
    expect(check.status).toBe('error');
    expect(check.detail).toBe(`No client id is configured, and ${t.issuer.issuer} offers no dynamic client registration and no Client ID Metadata Documents: \`todo-mcp login\` cannot start.`);
    expect(check.fix).toContain('Native app');
    expect(check.fix).toContain('redirect URI exactly http://127.0.0.1/callback');
    expect(check.fix).toContain('todo-mcp login --client-id <app-id>');
    expect(check.fix).toContain(`todo-mcp init --provider logto --issuer ${t.issuer.issuer} --client-id <app-id>`);
    // The text report prints the fix too, and no longer claims all is well.
    const text = await runCliInProcess(['doctor', t.server.mcpUrl], { cwd: await tempDir() });
    expect(text.stdout).toMatch(/ERROR Login can get a client id: No client id is configured/);
    expect(text.stdout).toContain('fix: Register a Native app');
    expect(text.stdout).not.toContain('No problems found.');

    const flag = await doctor([t.server.mcpUrl, '--client-id', 'native-app']);
    expect(byId(flag.report, 'login-client')).toMatchObject({ status: 'ok', detail: 'pre-registered client id "native-app".' });
    expect(flag.code).toBe(0);

    const cwd = await tempDir();
    await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify({ clientId: 'from-config' }));
    const config = await doctor([t.server.mcpUrl], {}, cwd);
    expect(byId(config.report, 'login-client')).toMatchObject({ status: 'ok', detail: 'pre-registered client id "from-config".' });
    expect(config.code).toBe(0);
  });

  it('a server that accepts Client ID Metadata Documents: ok with --client-metadata-url, else the error names that option too', async () => {
    const cimd = await startTestServer({}, { issuer: { extraMetadata: { client_id_metadata_document_supported: true } } });
    try {
      const without = await doctor([cimd.server.mcpUrl]);
      expect(byId(without.report, 'login-client')).toMatchObject({ status: 'error' });
      expect(byId(without.report, 'login-client')!.fix).toContain('--client-metadata-url');
      const withUrl = await doctor([cimd.server.mcpUrl, '--client-metadata-url', 'https://cli.example/client.json']);
      expect(byId(withUrl.report, 'login-client')).toMatchObject({ status: 'ok', detail: `Client ID Metadata Document https://cli.example/client.json (${cimd.issuer.issuer} accepts them).` });
      expect(withUrl.code).toBe(0);
    } finally {
      await cimd.close();
    }
  });

  it('a resource identifier ending in a slash: a warning naming the exact-match rule (doctor still passes)', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const slashed = await startTestServer({ port, resource: `http://localhost:${port}/` });
    try {
      const { code, report } = await doctor([slashed.server.mcpUrl, '--client-id', 'native-app']);
      const check = byId(report, 'resource-slash')!;
      expect(check.status).toBe('warning');
      expect(check.detail).toContain(`http://localhost:${port}/ ends in a slash`);
      expect(check.detail).toMatch(/compare resource indicators exactly, such as Logto/);
      expect(check.detail).toContain('authorization endpoint (invalid_target)');
      expect(check.fix).toContain(`Prefer http://localhost:${port}`);
      expect(code).toBe(0);
      expect(byId((await doctor([t.server.mcpUrl, '--client-id', 'x'])).report, 'resource-slash')).toBeUndefined();
    } finally {
      await slashed.close();
    }
  });
});
