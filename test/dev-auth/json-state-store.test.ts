import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DevAuthError } from '../../src/dev-auth/dev-auth-error.js';
import { createJsonAdapterFactory } from '../../src/dev-auth/json-adapter.js';
import { openJsonStateStore } from '../../src/dev-auth/json-state-store.js';
import { StoreError } from '../../src/store/todo-repository.js';

describe('JSON state store and adapter', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'todo-mcp-state-'));
    path = join(dir, 'state.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('puts every one of many concurrent changes on disk, in one valid file', async () => {
    const store = await openJsonStateStore({ path });
    const adapter = createJsonAdapterFactory(store)('Session');
    await Promise.all(Array.from({ length: 200 }, (_, i) => adapter.upsert(`s${i}`, { uid: `u${i}`, accountId: 'alice' }, 60)));
    const reopened = createJsonAdapterFactory(await openJsonStateStore({ path }))('Session');
    for (let i = 0; i < 200; i += 1) expect(await reopened.find(`s${i}`), `s${i}`).toMatchObject({ uid: `u${i}` });
    expect(await reopened.findByUid('u77')).toMatchObject({ uid: 'u77' });
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('forgets expired entries and drops them from the file', async () => {
    let now = 1_000_000;
    const store = await openJsonStateStore({ path, now: () => now });
    const adapter = createJsonAdapterFactory(store, () => now)('AccessToken');
    await adapter.upsert('short', { grantId: 'g' }, 10);
    await adapter.upsert('long', { grantId: 'g' }, 1000);
    now += 11_000;
    expect(await adapter.find('short')).toBeUndefined();
    await adapter.upsert('other', { grantId: 'h' }, 1000);
    const file = JSON.parse(await readFile(path, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(file.entries).sort()).toEqual(['AccessToken:long', 'AccessToken:other']);
  });

  it('marks consumed tokens and revokes everything of a grant across models', async () => {
    const store = await openJsonStateStore({ path });
    const factory = createJsonAdapterFactory(store);
    await factory('RefreshToken').upsert('rt', { grantId: 'g1' }, 60);
    await factory('AccessToken').upsert('at', { grantId: 'g1' }, 60);
    await factory('AccessToken').upsert('keep', { grantId: 'g2' }, 60);
    await factory('DeviceCode').upsert('dc', { grantId: 'g9', userCode: 'BCDFGHJK' }, 60);
    await factory('RefreshToken').consume('rt');
    expect((await factory('RefreshToken').find('rt'))?.consumed).toEqual(expect.any(Number));
    expect(await factory('DeviceCode').findByUserCode('BCDFGHJK')).toMatchObject({ grantId: 'g9' });
    await factory('Grant').revokeByGrantId('g1');
    expect(await factory('RefreshToken').find('rt')).toBeUndefined();
    expect(await factory('AccessToken').find('at')).toBeUndefined();
    expect(await factory('AccessToken').find('keep')).toBeDefined();
  });

  it('returns copies, so an unsaved change made by the caller is not persisted', async () => {
    const store = await openJsonStateStore({ path });
    const adapter = createJsonAdapterFactory(store)('Grant');
    await adapter.upsert('g', { accountId: 'alice' }, 60);
    const found = await adapter.find('g');
    found!.accountId = 'mallory';
    expect(await adapter.find('g')).toMatchObject({ accountId: 'alice' });
  });

  it('refuses a corrupt state file with its own error (not the todo store\'s), a message that says what to do, and a backup', async () => {
    await writeFile(path, '{"version":1,"entries":');
    const error = await openJsonStateStore({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevAuthError);
    expect(error).not.toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'dev_auth_corrupt', message: expect.stringMatching(/not valid JSON; move it away/) });
    const backups = (await readdir(dir)).filter((name) => name.startsWith('state.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(dir, backups[0]!), 'utf8')).toBe('{"version":1,"entries":');
  });

  it('keeps every resolved change even when an earlier write failed (the failed change is rejected, not lost silently)', async () => {
    const store = await openJsonStateStore({ path });
    await store.set('a', { payload: { n: 1 } });
    // A directory where the file was: the rename over it fails, whoever runs the test (root included).
    await rm(path);
    await mkdir(join(path, 'blocker'), { recursive: true });
    await expect(store.set('b', { payload: { n: 2 } })).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    await rm(path, { recursive: true });
    await store.set('c', { payload: { n: 3 } });
    await store.flush();
    const reopened = await openJsonStateStore({ path });
    expect(['a', 'b', 'c'].map((key) => reopened.get(key)?.payload.n)).toEqual([1, 2, 3]);
  });
});
