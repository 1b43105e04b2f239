import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import type { TokenFile } from '../../src/client/token-store.js';
import { startClientFixture, type CliUser, type ClientFixture } from '../helpers/browser-login-fixture.js';

let fx: ClientFixture;
let alice: CliUser;

beforeAll(async () => {
  fx = await startClientFixture();
  alice = await fx.user('alice');
  const login = await alice.cli(['login', '--client-id', 'todo-mcp-cli', fx.server.mcpUrl]);
  expect(login.code, login.stderr).toBe(EXIT.ok);
});
afterAll(async () => {
  await fx?.close();
});

const tokenFile = () => join(alice.home, 'tokens.json');

async function edit(change: (file: TokenFile) => void): Promise<void> {
  const file = JSON.parse(await readFile(tokenFile(), 'utf8')) as TokenFile;
  change(file);
  await writeFile(tokenFile(), JSON.stringify(file));
}

const expire = () =>
  edit((file) => {
    (file.entries[0] as { expiresAt?: number }).expiresAt = Math.floor(Date.now() / 1000) - 60;
  });

const current = async () => (await alice.tokens())!.entries[0]!;

describe('token refresh', { timeout: 120_000 }, () => {
  it('refreshes an expired access token silently: no login, no output about it, new (rotated) tokens saved 0600', async () => {
    await expire();
    const before = await current();
    const opened = alice.relay.opened.length;
    const result = await alice.cli(['call', 'get-todos', '--no-login', '--server', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stderr).toBe('');
    expect(alice.relay.opened).toHaveLength(opened);
    const after = await current();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect((await stat(tokenFile())).mode & 0o777).toBe(0o600);
    for (const secret of [before.accessToken, before.refreshToken!, after.accessToken, after.refreshToken!]) {
      expect(result.stdout.includes(secret) || result.stderr.includes(secret)).toBe(false);
    }
  });

  it('serializes refreshes across processes: three calls that all find the token expired all succeed', async () => {
    await expire();
    const before = await current();
    const calls = await Promise.all(
      // Three processes: the lock between them is what is proven.
      [1, 2, 3].map(() => alice.cli(['call', 'get-todos', '--no-login', '--json', '--server', fx.server.mcpUrl], { spawn: true })),
    );
    for (const call of calls) expect(call.code, call.stderr).toBe(EXIT.ok);
    const after = await current();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // Had two processes used the same refresh token, the server would have revoked the grant.
    const later = await alice.cli(['call', 'get-todos', '--no-login', '--server', fx.server.mcpUrl]);
    expect(later.code, later.stderr).toBe(EXIT.ok);
    expect(await alice.tokens()).toMatchObject({ entries: [{ refreshToken: after.refreshToken }] });
  });

  it('refreshes once when the server refuses a token it considers invalid (401), without a new login', async () => {
    const opened = alice.relay.opened.length;
    await edit((file) => {
      (file.entries[0] as { accessToken: string }).accessToken = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.forged';
    });
    const result = await alice.cli(['call', 'get-todos', '--no-login', '--server', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(alice.relay.opened).toHaveLength(opened);
    expect((await current()).accessToken).not.toContain('forged');
  });

  it('token prints the refreshed access token, and only that', async () => {
    await expire();
    const result = await alice.cli(['token', '--server', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    const entry = await current();
    expect(result.stdout).toBe(`${entry.accessToken}\n`);
    expect(entry.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3000);
  });

  it('a reused (rotated-out) refresh token ends the session with a clear re-login message, exit 3', async () => {
    await expire();
    const stale = await readFile(tokenFile(), 'utf8');
    const refreshed = await alice.cli(['token', fx.server.mcpUrl]);
    expect(refreshed.code, refreshed.stderr).toBe(EXIT.ok);
    // Put the old file back: its refresh token was already used once.
    await writeFile(tokenFile(), stale);
    const reused = await alice.cli(['call', 'get-todos', '--no-login', '--server', fx.server.mcpUrl]);
    expect(reused.code).toBe(EXIT.notAuthenticated);
    expect(reused.stderr).toContain(`refused to renew the session for ${fx.server.mcpUrl} (invalid_grant`);
    expect(reused.stderr).toContain('the refresh token was already used, revoked or has expired.');
    expect(reused.stderr).toContain(`Log in again with: todo-mcp login ${fx.server.mcpUrl}`);
    expect(await alice.tokens()).toMatchObject({ entries: [] });

    const gone = await alice.cli(['token', fx.server.mcpUrl]);
    expect(gone.code).toBe(EXIT.notAuthenticated);
    expect(gone.stdout).toBe('');
    expect(gone.stderr).toContain(`Not logged in to ${fx.server.mcpUrl}.`);
  });
});
