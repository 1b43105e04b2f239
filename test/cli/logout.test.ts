import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { openIdConfiguration } from '../../src/client/openid-configuration.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('todo-mcp logout', { timeout: 120_000 }, () => {
  it('revokes the grant at the authorization server and deletes the tokens; a second logout has nothing to do', async () => {
    const bob = await fx.user('bob');
    expect((await bob.cli(['login', fx.server.mcpUrl])).code).toBe(EXIT.ok);
    const entry = (await bob.tokens())!.entries[0]!;

    const result = await bob.cli(['logout', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toBe(`Logged out of ${fx.server.mcpUrl}: the tokens were revoked at ${fx.server.issuer}; they are deleted from this machine.\n`);
    expect(await bob.tokens()).toMatchObject({ entries: [], clients: [] });

    // The refresh token is dead at the server, not just forgotten here.
    const config = openIdConfiguration({ metadata: entry.authorizationServer, client: entry.client });
    await expect(oidc.refreshTokenGrant(config, entry.refreshToken!, { resource: entry.resource })).rejects.toMatchObject({ error: 'invalid_grant' });

    const whoami = await bob.cli(['whoami', fx.server.mcpUrl]);
    expect(whoami.code).toBe(EXIT.notAuthenticated);
    const again = await bob.cli(['logout', fx.server.mcpUrl]);
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain('Not logged in');
  });
});
