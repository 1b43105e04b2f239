import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWTPayload } from 'jose';
import { EXIT } from '../../src/cli/cli-error.js';
import { createTokenStore, putEntry, type TokenFile } from '../../src/client/token-store.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';
import { runCli, startCli } from '../helpers/run-cli.js';
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
  const r = await runCli(['doctor', ...args, '--json'], { env, cwd: cwd ?? (await tempDir()) });
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
    const text = await alice.cli(['doctor', fx.server.mcpUrl]);
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toContain('No problems found.');
    const json = await alice.cli(['doctor', fx.server.mcpUrl, '--json']);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    for (const id of ['server', 'prm', 'prm-resource', 'issuer', 'pkce', 'jwks', 'token-format', 'token-aud', 'test-call']) expect(byId(report, id)?.status, id).toBe('ok');
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
    const { code, report } = await doctor([t.server.mcpUrl], await homeWithToken({}));
    expect(code).toBe(0);
    expect(byId(report, 'test-call')?.status).toBe('ok');
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
    const proc = await startCli(['serve', '--port', '0', '--issuer', issuer.issuer, '--data', data], /MCP endpoint\s+(\S+)/);
    try {
      issuer.setJwksStatus(404);
      const jwks = await doctor([proc.match[1]!]);
      expect(jwks.code).not.toBe(0);
      expect(byId(jwks.report, 'jwks')).toMatchObject({ status: 'error' });
      expect(byId(jwks.report, 'jwks')!.detail).toContain('404');

      await issuer.close();
      const down = await doctor([proc.match[1]!]);
      expect(down.code).not.toBe(0);
      const check = byId(down.report, 'issuer')!;
      expect(check.status).toBe('error');
      expect(check.detail).toContain('/.well-known/oauth-authorization-server/oidc');
    } finally {
      await proc.stop();
      await issuer.close().catch(() => undefined);
    }
  });
});
