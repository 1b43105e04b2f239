import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTokenStore,
  findEntryForServer,
  findRegistration,
  putEntry,
  putRegistration,
  removeEntry,
  type TokenEntry,
} from '../../src/client/token-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(overrides: Partial<TokenEntry> = {}): TokenEntry {
  return {
    server: 'http://localhost:3001/mcp',
    resource: 'http://localhost:3001',
    issuer: 'http://localhost:3002/oidc',
    authorizationServer: { issuer: 'http://localhost:3002/oidc' },
    client: { clientId: 'cli', authMethod: 'none', kind: 'pre-registered' },
    accessToken: 'access-1',
    tokenType: 'bearer',
    refreshToken: 'refresh-1',
    expiresAt: 2_000_000_000,
    scopesRequested: ['create:todos'],
    scopesGranted: ['create:todos'],
    updatedAt: 1_000,
    ...overrides,
  };
}

describe('token store', () => {
  it('creates the home 0700 and tokens.json 0600, atomically (no temp files left), and reads back what it wrote', async () => {
    const home = join(dir, 'home', 'todo-mcp');
    const store = createTokenStore({ dir: home });
    expect(await store.read()).toEqual({ version: 1, entries: [], clients: [] });
    await store.update((data) => putEntry(data, entry()));
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(home)).toEqual(['tokens.json']);
    expect((await store.read()).entries).toEqual([entry()]);
  });

  it('keeps one entry per (resource, issuer) and finds the login for a server URL', async () => {
    const store = createTokenStore({ dir });
    await store.update((data) => {
      putEntry(data, entry());
      putEntry(data, entry({ accessToken: 'access-2', updatedAt: 2_000 }));
      putEntry(data, entry({ issuer: 'https://other/oidc', server: 'http://localhost:3001/other', updatedAt: 500 }));
    });
    const data = await store.read();
    expect(data.entries).toHaveLength(2);
    expect(findEntryForServer(data, 'http://localhost:3001/mcp')?.accessToken).toBe('access-2');
    // No exact server match: the resource covers the path.
    expect(findEntryForServer(data, 'http://localhost:3001/v2/mcp')?.accessToken).toBe('access-2');
    expect(findEntryForServer(data, 'http://localhost:4000/mcp')).toBeUndefined();
    expect(removeEntry(data, 'http://localhost:3001', 'http://localhost:3002/oidc')).toBe(true);
    expect(removeEntry(data, 'http://localhost:3001', 'http://localhost:3002/oidc')).toBe(false);
  });

  it('remembers only dynamically registered clients, one per issuer', async () => {
    const store = createTokenStore({ dir });
    await store.update((data) => {
      putRegistration(data, 'https://as', { clientId: 'pre', authMethod: 'none', kind: 'pre-registered' });
      putRegistration(data, 'https://as', { clientId: 'd1', authMethod: 'none', kind: 'dynamic', redirectUri: 'http://127.0.0.1:5000/callback' });
      putRegistration(data, 'https://as', { clientId: 'd2', authMethod: 'none', kind: 'dynamic', redirectUri: 'http://127.0.0.1:5001/callback' });
    });
    const data = await store.read();
    expect(data.clients).toHaveLength(1);
    expect(findRegistration(data, 'https://as')).toEqual({ clientId: 'd2', authMethod: 'none', kind: 'dynamic', redirectUri: 'http://127.0.0.1:5001/callback' });
    expect(findRegistration(data, 'https://elsewhere')).toBeUndefined();
  });

  it('narrows a token file others can read back to 0600', async () => {
    const store = createTokenStore({ dir });
    await store.update((data) => putEntry(data, entry()));
    await chmod(store.path, 0o644);
    await store.read();
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a corrupt or foreign file with store_error instead of overwriting it', async () => {
    const store = createTokenStore({ dir });
    await writeFile(store.path, '{not json');
    await expect(store.read()).rejects.toMatchObject({ code: 'store_error', message: expect.stringContaining('not valid JSON') });
    await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'store_error' });
    expect(await readFile(store.path, 'utf8')).toBe('{not json');
    await writeFile(store.path, JSON.stringify({ version: 2, entries: [] }));
    await expect(store.read()).rejects.toMatchObject({ code: 'store_error', message: expect.stringContaining('not in the expected format') });
  });
});

describe('token store lock', () => {
  const liveHolder = () => `${JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: 'held' })}\n`;

  it('gives up with store_error naming the holder when a live process keeps the lock, leaving that lock alone', async () => {
    const store = createTokenStore({ dir, lockTimeoutMs: 200 });
    await writeFile(`${store.path}.lock`, liveHolder());
    await expect(store.update(() => undefined)).rejects.toMatchObject({
      code: 'store_error',
      message: expect.stringContaining(`process ${process.pid}`),
    });
    expect(await readFile(`${store.path}.lock`, 'utf8')).toContain('"held"');
  });

  it('takes over a lock held for more than two minutes (a hung process, or its pid reused)', async () => {
    const store = createTokenStore({ dir, lockTimeoutMs: 200 });
    const threeMinutesAgo = new Date(Date.now() - 180_000).toISOString();
    await writeFile(`${store.path}.lock`, JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: threeMinutesAgo, token: 'hung' }));
    await store.update((data) => putEntry(data, entry()));
    expect((await store.read()).entries).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['tokens.json']);
  });

  it('stops waiting for the lock when its signal is aborted, with the signal reason', async () => {
    const controller = new AbortController();
    const store = createTokenStore({ dir, signal: controller.signal });
    await writeFile(`${store.path}.lock`, liveHolder());
    const reason = new Error('SIGINT');
    setTimeout(() => controller.abort(reason), 50);
    await expect(store.update(() => undefined)).rejects.toBe(reason);
  });
});
