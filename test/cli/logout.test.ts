import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { describeLogout } from '../../src/cli/logout.js';
import { openIdConfiguration } from '../../src/client/openid-configuration.js';
import type { TokenEntry } from '../../src/client/token-store.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';
import { LOGTO_LIKE_SUB, startLogtoLike, type LogtoLikeFixture } from '../helpers/logto-like-fixture.js';
import type { TestLoginOptions } from '../helpers/test-issuer-login.js';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

/** A get-todos call with a bare access token, as a copy of it elsewhere would be used. */
async function callWith(mcpUrl: string, accessToken: string): Promise<number> {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'copy', version: '1' } } }),
  });
  await res.body?.cancel();
  return res.status;
}

describe('todo-mcp logout against the embedded default', { timeout: 120_000 }, () => {
  it('says the refresh token was revoked and that a copy of the JWT access token stays valid at the server until its expiry — which is true', async () => {
    const bob = await fx.user('bob');
    expect((await bob.cli(['login', fx.server.mcpUrl])).code).toBe(EXIT.ok);
    const entry = (await bob.tokens())!.entries[0]!;

    // The binary, as a user runs it (the wiring of `logout`); the rest of this file runs the CLI in-process.
    const result = await bob.cli(['logout', fx.server.mcpUrl], { spawn: true });
    expect(result.code, result.stderr).toBe(EXIT.ok);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Logged out of ${fx.server.mcpUrl} as bob (sub bob):`);
    expect(lines[1]).toBe(`  refresh token  revoked at ${fx.server.issuer}: it can no longer renew the session`);
    expect(lines[2]).toMatch(
      new RegExp(
        `^  access token   deleted from this machine; a copy of it elsewhere stays valid at ${fx.server.resource} until ${ISO} \\(in (59|60) min\\): ` +
          `it is a JWT, which the resource server verifies offline without asking ${fx.server.issuer}, so no revocation reaches it$`,
      ),
    );
    // The time the resource server stops accepting it: the JWT's own exp (the stored expiresAt, from
    // expires_in and this machine's clock, may differ by a second).
    expect(lines[2]).toContain(new Date(decodeJwt(entry.accessToken).exp! * 1000).toISOString());
    expect(await bob.tokens()).toMatchObject({ entries: [], clients: [] });

    // Both halves are true: the refresh token is dead at the authorization server…
    const config = openIdConfiguration({ metadata: entry.authorizationServer, client: entry.client });
    await expect(oidc.refreshTokenGrant(config, entry.refreshToken!, { resource: entry.resource })).rejects.toMatchObject({ error: 'invalid_grant' });
    // …and a copy of the access token is still accepted by the MCP server.
    expect(await callWith(fx.server.mcpUrl, entry.accessToken)).toBe(200);

    const whoami = await bob.cli(['whoami', fx.server.mcpUrl]);
    expect(whoami.code).toBe(EXIT.notAuthenticated);
    const again = await bob.cli(['logout', fx.server.mcpUrl]);
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain('Not logged in');
  });
});

describe('todo-mcp logout against other authorization servers', { timeout: 60_000 }, () => {
  const fixtures: LogtoLikeFixture[] = [];
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.close()));
  });
  async function loggedIn(login: Partial<TestLoginOptions>): Promise<LogtoLikeFixture> {
    const f = await startLogtoLike({ idTokenClaims: { username: 'alice' }, ...login });
    fixtures.push(f);
    expect((await f.cli(['login', '--client-id', 'native-app', f.mcpUrl])).code).toBe(EXIT.ok);
    return f;
  }

  it('no revocation endpoint: the refresh token stays valid there until it expires, and it says so', async () => {
    const f = await loggedIn({});
    const out = await f.cli(['logout', f.mcpUrl]);
    expect(out.code, out.stderr).toBe(EXIT.ok);
    const issuer = f.server.issuer.issuer;
    expect(out.stdout).toContain(`Logged out of ${f.mcpUrl} as alice (sub ${LOGTO_LIKE_SUB}):\n`);
    expect(out.stdout).toContain(`  refresh token  not revoked: ${issuer} has no revocation endpoint, so it stays valid there until it expires; deleted from this machine\n`);
    expect(out.stdout).toMatch(/access token {3}deleted from this machine; a copy of it elsewhere stays valid at \S+ until .*: it is a JWT/);
    expect(await f.tokens()).toMatchObject({ entries: [] });
  });

  it('revocation failing: says why, and still deletes the tokens here', async () => {
    const f = await loggedIn({ revocation: 'fail' });
    const out = await f.cli(['logout', f.mcpUrl]);
    expect(out.code, out.stderr).toBe(EXIT.ok);
    expect(out.stdout).toMatch(new RegExp(`refresh token {2}not revoked \\(Revoking it at ${f.server.issuer.issuer} failed: .*503.*\\); it stays valid at ${f.server.issuer.issuer} until it expires; deleted from this machine\\n`));
    expect(f.server.issuer.login!.revocations.map((r) => r.get('token_type_hint'))).toEqual(['refresh_token']);
    expect(await f.tokens()).toMatchObject({ entries: [] });
  });

  it('a revocation endpoint that works: the refresh token is revoked, the JWT access token is not sent to be revoked', async () => {
    const f = await loggedIn({ revocation: 'ok' });
    const entry = (await f.tokens())!.entries[0]!;
    const out = await f.cli(['logout', f.mcpUrl]);
    expect(out.stdout).toContain(`  refresh token  revoked at ${f.server.issuer.issuer}: it can no longer renew the session\n`);
    expect(f.server.issuer.login!.revocations.map((r) => r.get('token'))).toEqual([entry.refreshToken]);
  });

  it('no refresh token kept (the server does not offer offline_access)', async () => {
    const f = await loggedIn({ scopesSupported: ['openid', 'profile'] });
    const out = await f.cli(['logout', f.mcpUrl]);
    expect(out.stdout).toContain('  refresh token  none was kept\n');
  });
});

describe('describeLogout for opaque access tokens (the authorization server can revoke those)', () => {
  const entry = { server: 'http://localhost:3001/mcp', resource: 'http://localhost:3001', issuer: 'https://as.example/oidc', subject: 's1' } as TokenEntry;
  const now = 1_800_000_000;
  it('revoked, or not, and expired', () => {
    expect(describeLogout({ entry, refreshToken: 'absent', accessToken: 'revoked', accessTokenValidUntil: now + 600 }, now)[2]).toBe('  access token   revoked at https://as.example/oidc and deleted from this machine');
    expect(describeLogout({ entry, refreshToken: 'absent', accessToken: 'failed', errors: { accessToken: 'HTTP 500' }, accessTokenValidUntil: now + 600 }, now)[2]).toBe(
      `  access token   deleted from this machine; not revoked (HTTP 500), so a copy of it elsewhere stays valid at http://localhost:3001 until ${new Date((now + 600) * 1000).toISOString()} (in 10 min)`,
    );
    expect(describeLogout({ entry, refreshToken: 'absent', accessToken: 'offline', accessTokenValidUntil: now - 120 }, now)[2]).toBe('  access token   deleted from this machine (it had expired 2 min ago)');
    expect(describeLogout({ entry, refreshToken: 'absent', accessToken: 'offline' }, now)[2]).toContain('stays valid at http://localhost:3001 until it expires: it is a JWT');
  });
});
