import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('todo-mcp token', { timeout: 120_000 }, () => {
  it('prints nothing but exit 3 when not logged in, then the raw access token, which the MCP server accepts', async () => {
    const alice = await fx.user('alice');
    const none = await alice.cli(['token', fx.server.mcpUrl]);
    expect(none.code).toBe(EXIT.notAuthenticated);
    expect(none.stdout).toBe('');

    expect((await alice.cli(['login', fx.server.mcpUrl])).code).toBe(EXIT.ok);
    // The binary, as a user runs it (the wiring of `token`); the rest of this file runs the CLI in-process.
    const printed = await alice.cli(['token', fx.server.mcpUrl], { spawn: true });
    expect(printed.code, printed.stderr).toBe(EXIT.ok);
    const token = printed.stdout.trim();
    expect(printed.stdout).toBe(`${(await alice.tokens())!.entries[0]!.accessToken}\n`);
    expect(printed.stderr).toBe('');

    // As with curl -H "Authorization: Bearer $(todo-mcp token)".
    const init = (authorization?: string) =>
      fetch(fx.server.mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } }),
      });
    const accepted = await init(`Bearer ${token}`);
    expect(accepted.status).toBe(200);
    await accepted.body?.cancel();
    const refused = await init();
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
  });
});
