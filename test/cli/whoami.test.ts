import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import type { TokenFile } from '../../src/client/token-store.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('todo-mcp whoami', { timeout: 120_000 }, () => {
  it('shows subject, scopes, issuer, resource and expiry from the stored login — never the token — and exit 3 when there is none', async () => {
    const admin = await fx.user('admin');
    const none = await admin.cli(['whoami', '--server', fx.server.mcpUrl]);
    expect(none.code).toBe(EXIT.notAuthenticated);
    expect(none.stderr).toContain(`Not logged in to ${fx.server.mcpUrl}.`);

    expect((await admin.cli(['login', fx.server.mcpUrl])).code).toBe(EXIT.ok);
    // The binary, as a user runs it (the wiring of `whoami`); the rest of this file runs the CLI in-process.
    const shown = await admin.cli(['whoami', '--server', fx.server.mcpUrl], { spawn: true });
    expect(shown.code, shown.stderr).toBe(EXIT.ok);
    expect(shown.stdout).toContain(`Logged in to ${fx.server.mcpUrl} as admin (sub admin)\n`);
    expect(shown.stdout).toMatch(/scopes\s+create:todos read:todos delete:todos offline_access/);
    expect(shown.stdout).toContain(`issuer       ${fx.server.issuer}`);
    expect(shown.stdout).toContain(`resource     ${fx.server.resource}`);
    expect(shown.stdout).toMatch(/expires\s+\S+ \(in (59|60) min\)/);

    const json = await admin.cli(['whoami', '--json', '--server', fx.server.mcpUrl]);
    const summary = JSON.parse(json.stdout);
    // name from the ID token's preferred_username, sub from the access token; subject (= sub) kept for older scripts.
    expect(summary).toMatchObject({ name: 'admin', sub: 'admin', subject: 'admin', issuer: fx.server.issuer, resource: fx.server.resource, expired: false, refreshToken: true });
    expect(summary.scopes).toEqual(['create:todos', 'read:todos', 'delete:todos', 'offline_access']);

    const file = (await admin.tokens())!;
    const entry = file.entries[0]!;
    for (const output of [shown.stdout, shown.stderr, json.stdout]) {
      expect(output.includes(entry.accessToken)).toBe(false);
      expect(output.includes(entry.refreshToken!)).toBe(false);
    }

    // Offline: an expired access token is reported, not refreshed.
    const path = join(admin.home, 'tokens.json');
    const raw = JSON.parse(await readFile(path, 'utf8')) as TokenFile;
    (raw.entries[0] as { expiresAt?: number }).expiresAt = Math.floor(Date.now() / 1000) - 120;
    await writeFile(path, JSON.stringify(raw));
    const expired = await admin.cli(['whoami', '--server', fx.server.mcpUrl]);
    expect(expired.stdout).toContain('(access token expired; renewed on next use)');
    expect((await admin.tokens())!.entries[0]!.accessToken).toBe(entry.accessToken);
  });
});
