import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/client/file-lock.js';
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

const FILE_LOCK_JS = fileURLToPath(new URL('../../dist/client/file-lock.js', import.meta.url));

/** A process that increments a counter file `times` times, each under the lock, with a pause inside. */
function incrementer(counter: string, times: number): Promise<number | null> {
  const script = `
    const { withFileLock } = await import(${JSON.stringify(FILE_LOCK_JS)});
    const { readFile, writeFile } = await import('node:fs/promises');
    for (let i = 0; i < ${times}; i++) {
      await withFileLock({ path: ${JSON.stringify(`${counter}.lock`)}, pollMs: 2 }, async () => {
        const n = Number(await readFile(${JSON.stringify(counter)}, 'utf8'));
        await new Promise((r) => setTimeout(r, 2));
        await writeFile(${JSON.stringify(counter)}, String(n + 1));
      });
    }`;
  return new Promise((resolve) => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('close', resolve));
}

describe('file lock', () => {
  it('serializes read-modify-write across processes: no update is lost', { timeout: 60_000 }, async () => {
    const counter = join(dir, 'counter');
    await writeFile(counter, '0');
    const codes = await Promise.all([1, 2, 3, 4].map(() => incrementer(counter, 15)));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(await readFile(counter, 'utf8')).toBe('60');
    expect(await readdir(dir)).toEqual(['counter']);
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.on('close', () => resolve(child.pid!));
    });
    const lock = join(dir, 'x.lock');
    await writeFile(lock, `${dead} ${Date.now()} abandoned`);
    expect(await withFileLock({ path: lock, timeoutMs: 2_000 }, async () => 'ran')).toBe('ran');
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives up with store_error naming the holder when a live process keeps the lock', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, `${process.pid} ${Date.now()} held`);
    await expect(withFileLock({ path: lock, timeoutMs: 200 }, async () => 'ran')).rejects.toMatchObject({
      code: 'store_error',
      message: expect.stringContaining(`(pid ${process.pid})`),
    });
    // Someone else's lock is left alone.
    expect(await readFile(lock, 'utf8')).toContain('held');
  });
});
