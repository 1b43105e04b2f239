import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { LOGTO_LIKE_SUB as SUB, startLogtoLike, type LogtoLikeFixture } from '../helpers/logto-like-fixture.js';
import type { TestLoginOptions } from '../helpers/test-issuer-login.js';

/** Names beside `sub`, against the Logto-shaped test issuer (see logto-like-fixture.ts). */
const fixtures: LogtoLikeFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function logtoLike(login: Partial<TestLoginOptions>): Promise<LogtoLikeFixture> {
  const fixture = await startLogtoLike(login);
  fixtures.push(fixture);
  return fixture;
}

describe('names beside sub, with a Logto-shaped authorization server', { timeout: 60_000 }, () => {
  it('login, whoami and the owner column of your own todos show "alice (sub …)"; other owners keep their sub; no name reaches the MCP server', async () => {
    const f = await logtoLike({ idTokenClaims: { username: 'alice', name: 'Alice Liddell', email: 'alice@example.com' } });
    const login = await f.cli(['login', '--client-id', 'native-app', f.mcpUrl]);
    expect(login.code, login.stderr).toBe(EXIT.ok);
    expect(login.stdout).toContain(`Logged in to ${f.mcpUrl} as alice (sub ${SUB})\n`);
    expect(login.stdout).toMatch(/scopes\s+create:todos read:todos offline_access\n/);
    // openid and profile are asked for (the server lists them), and were not reported as "not granted"
    // although the token response's scope, like Logto's, names only the API scopes.
    const authorization = f.server.issuer.login!.authorizations[0]!;
    expect(authorization.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile']));
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(login.stdout).not.toMatch(/not granted.*(openid|profile)/);

    const whoami = await f.cli(['whoami', f.mcpUrl]);
    expect(whoami.stdout).toContain(`Logged in to ${f.mcpUrl} as alice (sub ${SUB})\n`);
    const json = JSON.parse((await f.cli(['whoami', '--json', f.mcpUrl])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'alice', sub: SUB, subject: SUB });

    // Someone else's todo, created with their own token.
    const bob = await f.server.connect(await f.server.token('xk2bob', 'create:todos'));
    await bob.callTool({ name: 'create-todo', arguments: { content: 'Walk the dog' } });
    expect((await f.cli(['call', 'create-todo', 'content=Buy milk', f.mcpUrl])).code).toBe(EXIT.ok);
    const list = await f.cli(['call', 'get-todos', f.mcpUrl]);
    expect(list.code, list.stderr).toBe(EXIT.ok);
    const rows = list.stdout.split('\n');
    expect(rows.find((row) => row.includes('Buy milk'))).toContain(`alice (sub ${SUB})`);
    const others = rows.find((row) => row.includes('Walk the dog'))!;
    expect(others).toMatch(/\sxk2bob\s/);
    expect(others).not.toContain('alice');
    // --json is the tool's own answer: the sub only.
    const raw = JSON.parse((await f.cli(['call', 'get-todos', '--json', f.mcpUrl])).stdout) as { structuredContent: { todos: Array<{ ownerId: string }> } };
    expect(raw.structuredContent.todos.map((t) => t.ownerId).sort()).toEqual([SUB, 'xk2bob'].sort());

    // Nothing about the name reached the MCP server: not in any header or body, not inside the bearer
    // token, and the ID token itself never left the client.
    const idTokens = f.server.issuer.login!.idTokens;
    expect(idTokens.length).toBeGreaterThan(0);
    const fromCli = f.proxy.requests.filter((r) => r.headers.authorization);
    expect(fromCli.length).toBeGreaterThanOrEqual(4);
    for (const request of f.proxy.requests) {
      const seen = `${JSON.stringify(request.headers)}\n${request.body}`;
      for (const secret of ['alice', 'Alice', 'Liddell', ...idTokens]) expect(seen).not.toContain(secret);
      const bearer = request.headers.authorization?.replace(/^Bearer /, '');
      if (bearer) expect(JSON.stringify(decodeJwt(bearer))).not.toMatch(/alice|Liddell|username/i);
    }
  });

  it('an ID token with only sub: the sub alone, and whoami --json has name null', async () => {
    const f = await logtoLike({ sub: 'only-sub-7q' });
    const login = await f.cli(['login', '--client-id', 'native-app', f.mcpUrl]);
    expect(login.code, login.stderr).toBe(EXIT.ok);
    expect(login.stdout).toContain(`Logged in to ${f.mcpUrl} as only-sub-7q\n`);
    expect(f.server.issuer.login!.idTokens).toHaveLength(1);
    expect((await f.tokens())!.entries[0]!.name).toBeUndefined();
    expect(JSON.parse((await f.cli(['whoami', '--json', f.mcpUrl])).stdout)).toMatchObject({ name: null, sub: 'only-sub-7q', subject: 'only-sub-7q' });
    expect((await f.cli(['whoami', f.mcpUrl])).stdout).toContain(`as only-sub-7q\n`);
  });

  it('a name is printable text: control characters and direction overrides are dropped', async () => {
    const f = await logtoLike({ idTokenClaims: { username: '\u001b[31mmallory\u202e\u0007' } });
    const login = await f.cli(['login', '--client-id', 'native-app', f.mcpUrl]);
    expect(login.code, login.stderr).toBe(EXIT.ok);
    expect(login.stdout).toContain(`as [31mmallory (sub ${SUB})\n`);
    expect(login.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('an ID token whose signature does not verify fails the login, and nothing is stored', async () => {
    const f = await logtoLike({ idTokenClaims: { username: 'alice' }, forgeIdTokenSignature: true });
    const login = await f.cli(['login', '--client-id', 'native-app', f.mcpUrl]);
    expect(login.code).toBe(EXIT.notAuthenticated);
    expect(login.stderr).toMatch(/signature/i);
    expect(await f.tokens()).toBeUndefined();
  });

  it('without openid in scopes_supported no ID token is asked for: the sub alone', async () => {
    const f = await logtoLike({ idTokenClaims: { username: 'alice' }, scopesSupported: ['offline_access'] });
    const login = await f.cli(['login', '--client-id', 'native-app', f.mcpUrl]);
    expect(login.code, login.stderr).toBe(EXIT.ok);
    expect(f.server.issuer.login!.authorizations[0]!.searchParams.get('scope')).toBe('create:todos read:todos delete:todos offline_access');
    expect(f.server.issuer.login!.authorizations[0]!.searchParams.has('nonce')).toBe(false);
    expect(login.stdout).toContain(`as ${SUB}\n`);
  });

  it('a refresh that returns a new ID token updates the name; one without an ID token keeps it', async () => {
    // Tokens that the CLI counts as expired at once (it renews 30 s early), so `call` refreshes first.
    const renamed = await logtoLike({ idTokenClaims: { username: 'alice' }, refreshIdTokenClaims: { username: 'alice.l' }, accessTokenTtl: 20 });
    expect((await renamed.cli(['login', '--client-id', 'native-app', renamed.mcpUrl])).code).toBe(EXIT.ok);
    const call = await renamed.cli(['call', 'get-todos', renamed.mcpUrl]);
    expect(call.code, call.stderr).toBe(EXIT.ok);
    expect(renamed.server.issuer.login!.tokenRequests.map((r) => r.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    expect((await renamed.cli(['whoami', renamed.mcpUrl])).stdout).toContain(`as alice.l (sub ${SUB})\n`);

    const kept = await logtoLike({ idTokenClaims: { username: 'alice' }, refreshIdTokenClaims: false, accessTokenTtl: 20 });
    expect((await kept.cli(['login', '--client-id', 'native-app', kept.mcpUrl])).code).toBe(EXIT.ok);
    expect((await kept.cli(['call', 'get-todos', kept.mcpUrl])).code).toBe(EXIT.ok);
    expect(kept.server.issuer.login!.tokenRequests).toHaveLength(2);
    expect((await kept.cli(['whoami', kept.mcpUrl])).stdout).toContain(`as alice (sub ${SUB})\n`);
  });
});
