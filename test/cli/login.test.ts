import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { landOnCallback, signInWithForm, type BrowserBehaviour } from '../helpers/browser-relay.js';
import type { TokenFile } from '../../src/client/token-store.js';
import { startClientFixture, type CliUser, type ClientFixture } from '../helpers/browser-login-fixture.js';
import { approveDeviceLogin, browse } from '../helpers/dev-auth-login.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

/** Every secret the user's token file holds: none may ever appear in the CLI's output. */
async function secretsOf(user: CliUser): Promise<string[]> {
  const file = await user.tokens();
  return (file?.entries ?? []).flatMap((e) => [e.accessToken, ...(e.refreshToken ? [e.refreshToken] : [])]);
}

function expectNoSecret(output: string, secrets: string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(output.includes(secret)).toBe(false);
}

/** Runs the CLI (in-process) and hands its stderr, as it grows, to `onStderr` (for prompts the test must act on). */
function runInteractive(user: CliUser, args: string[], onStderr: (text: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliInProcess(args, { env: { HOME: join(user.home, '..'), TODO_MCP_HOME: user.home, BROWSER: '' }, timeoutMs: 90_000, onStderr });
}

describe('todo-mcp login against the embedded default', { timeout: 120_000 }, () => {
  it('signs alice in through the real form (dynamic registration): who, scopes, expiry; 0600 file in a 0700 dir; no token printed', async () => {
    const alice = await fx.user('alice');
    // The binary, as a user runs it (the wiring of `login`); the rest of this file runs the CLI in-process.
    const result = await alice.cli(['login', fx.server.mcpUrl], { spawn: true });
    expect(alice.relay.failures).toEqual([]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    // The name from the ID token beside the sub the server knows (the embedded server's subs are the usernames).
    expect(result.stdout).toContain(`Logged in to ${fx.server.mcpUrl} as alice (sub alice)\n`);
    expect(result.stdout).toMatch(/scopes\s+create:todos offline_access\n/);
    expect(result.stdout).toMatch(/not granted\s+read:todos delete:todos\n/);
    expect(result.stdout).toMatch(/expires\s+\d{4}-\d\d-\d\dT.*\(in (59|60) min\)/);
    expect(result.stdout).toContain(`issuer       ${fx.server.issuer}`);
    expect(result.stdout).toMatch(/client\s+\S+ \(dynamic\)/);

    // The authorization request: PKCE S256, state, the resource, the PRM's scopes plus offline_access.
    const request = alice.relay.opened[0]!;
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(request.searchParams.get('resource')).toBe(fx.server.resource);
    // openid profile for the ID token (the name), with a nonce binding that ID token to this login.
    expect(request.searchParams.get('scope')).toBe('create:todos read:todos delete:todos openid profile offline_access');
    expect(request.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(new URL(request.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');

    expect((await stat(join(alice.home, 'tokens.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(alice.home)).mode & 0o777).toBe(0o700);
    const file = (await alice.tokens())!;
    expect(file.entries).toHaveLength(1);
    expect(file.entries[0]).toMatchObject({ resource: fx.server.resource, issuer: fx.server.issuer, subject: 'alice', name: 'alice', scopesGranted: ['create:todos', 'offline_access'] });
    expect(file.entries[0]!.refreshToken).toBeTruthy();
    expectNoSecret(result.stdout + result.stderr, await secretsOf(alice));

    // A second login reuses the registered client instead of registering another one.
    const again = await alice.cli(['login', '--json', fx.server.mcpUrl]);
    expect(again.code, again.stderr).toBe(EXIT.ok);
    expect(JSON.parse(again.stdout)).toMatchObject({ name: 'alice', sub: 'alice', subject: 'alice', clientId: file.entries[0]!.client.clientId, refreshToken: true });
    expect((await alice.tokens())!.clients).toHaveLength(1);
  });

  it('uses a pre-registered client with --client-id (no consent page for the first-party app)', async () => {
    const pages: string[][] = [];
    const behaviour: BrowserBehaviour = async (url) => {
      const walk = await browse(url, { username: 'bob', password: DEV_PASSWORDS.bob, isCallback: (u) => u.hostname === '127.0.0.1' });
      pages.push(walk.pages);
      await landOnCallback(walk.callbackUrl!);
    };
    const bob = await fx.user('bob', behaviour);
    const result = await bob.cli(['login', '--client-id', 'todo-mcp-cli', '--server', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/client\s+todo-mcp-cli \(pre-registered\)/);
    expect(pages).toEqual([['login']]);
    expect(bob.relay.opened[0]!.searchParams.get('client_id')).toBe('todo-mcp-cli');
    expect((await bob.tokens())!.clients).toEqual([]);
  });

  it('--no-browser prints the URL and waits; completing it in any browser finishes the login', async () => {
    const user = await fx.user('alice');
    let started = false;
    const result = await runInteractive(user, ['login', '--no-browser', '--client-id', 'todo-mcp-cli', fx.server.mcpUrl], (stderr) => {
      const url = /Open this URL in a browser to log in:\s+(\S+)/.exec(stderr)?.[1];
      if (!url || started) return;
      started = true;
      void browse(url, { username: 'alice', password: DEV_PASSWORDS.alice, isCallback: (u) => u.hostname === '127.0.0.1' }).then((walk) => landOnCallback(walk.callbackUrl!));
    });
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toContain('as alice');
  });

  it('--device: shows a code, and the login completes when it is approved elsewhere', async () => {
    const user = await fx.user('bob');
    let approval: Promise<unknown> | undefined;
    const result = await runInteractive(user, ['login', '--device', fx.server.mcpUrl], (stderr) => {
      const match = /open (\S+) on any device and enter the code:\s+(\S+)/.exec(stderr);
      if (!match || approval) return;
      approval = approveDeviceLogin({ verificationUri: match[1]!, userCode: match[2]!, username: 'bob', password: DEV_PASSWORDS.bob });
    });
    expect(result.code, result.stderr).toBe(EXIT.ok);
    await approval;
    expect(result.stdout).toContain(`Logged in to ${fx.server.mcpUrl} as bob`);
    expect((await user.tokens())!.entries[0]!.scopesGranted).toContain('create:todos');
  });

  it('reports a refused authorization (error=access_denied on the redirect) with exit 3', async () => {
    const user = await fx.user('alice');
    user.relay.behaviour = async (url) => {
      const walk = await browse(url, { username: 'alice', password: DEV_PASSWORDS.alice, consent: 'deny', isCallback: (u) => u.hostname === '127.0.0.1' });
      const page = await landOnCallback(walk.callbackUrl!);
      expect(page.status).toBe(400);
      expect(page.html).toContain('The authorization server reported: access_denied');
    };
    const result = await user.cli(['login', fx.server.mcpUrl]);
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toMatch(/The authorization server refused the login: access_denied/);
    expect(user.relay.failures).toEqual([]);
    expect(await user.tokens()).toBeUndefined();
  });

  it('abandons the login when the redirect carries another state (forged request), exit 3', async () => {
    const user = await fx.user('alice', async (url) => {
      const callback = new URL(url.searchParams.get('redirect_uri')!);
      callback.search = new URLSearchParams({ code: 'stolen-code', state: 'not-the-state' }).toString();
      const page = await landOnCallback(callback);
      expect(page.status).toBe(400);
    });
    const result = await user.cli(['login', '--client-id', 'todo-mcp-cli', fx.server.mcpUrl]);
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toContain('state that does not match this login');
    expect(user.relay.failures).toEqual([]);
    expect(await user.tokens()).toBeUndefined();
  });

  it('discards a kept client registration the server no longer knows, so the next login registers afresh', async () => {
    const user = await fx.user('bob');
    expect((await user.cli(['login', fx.server.mcpUrl])).code).toBe(EXIT.ok);
    const path = join(user.home, 'tokens.json');
    const file = JSON.parse(await readFile(path, 'utf8')) as TokenFile;
    (file.clients[0] as { clientId: string }).clientId = 'forgotten-by-the-server';
    await writeFile(path, JSON.stringify(file));

    // The server shows an error page for an unknown client and never redirects back.
    const seen: number[] = [];
    user.relay.behaviour = async (url) => {
      seen.push((await fetch(url)).status);
    };
    const stuck = await user.cli(['login', '--timeout', '2', fx.server.mcpUrl]);
    expect(stuck.code).toBe(EXIT.notAuthenticated);
    expect(seen).toEqual([400]);
    expect(stuck.stderr).toContain('Nobody completed the login in the browser within 2 s.');
    expect(stuck.stderr).toContain(`The client registration kept for ${fx.server.issuer} was discarded`);
    expect((await user.tokens())!.clients).toEqual([]);

    user.relay.behaviour = signInWithForm({ username: 'bob', password: DEV_PASSWORDS.bob });
    const fresh = await user.cli(['login', fx.server.mcpUrl]);
    expect(fresh.code, fresh.stderr).toBe(EXIT.ok);
    expect((await user.tokens())!.clients[0]!.clientId).not.toBe('forgotten-by-the-server');
  });
});
