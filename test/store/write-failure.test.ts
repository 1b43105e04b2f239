import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonTodoRepository, type JsonTodoRepository, type JsonTodoRepositoryOptions } from '../../src/store/json-todo-repository.js';
import { StoreError, type Todo } from '../../src/store/todo-repository.js';
import { inPageOrder, makeTempDir, readTodosFile } from './store-test-helpers.js';

/**
 * Faults are real OS errors. Tests run as root, so chmod cannot make anything read-only; instead:
 * - always: the data file is replaced by a non-empty directory, so the rename of every write fails;
 * - when this process may mount (root with CAP_SYS_ADMIN, as on the project's machines): a 64 KiB tmpfs
 *   gives a real ENOSPC, and remounting it read-only a real EROFS. Skipped only where mount is refused.
 */
function mountWorks(): boolean {
  try {
    const probe = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
      return true;
    } finally {
      execFileSync('rmdir', [probe]);
    }
  } catch {
    return false;
  }
}

const canMount = mountWorks();
let dir: string;
let cleanup: () => Promise<void>;
let mounted: string | undefined;
const open: JsonTodoRepository[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((repository) => repository.close()));
  if (mounted !== undefined) execFileSync('umount', [mounted]);
  mounted = undefined;
  await cleanup();
});

async function openRepository(options: JsonTodoRepositoryOptions): Promise<JsonTodoRepository> {
  const repository = await createJsonTodoRepository(options);
  open.push(repository);
  return repository;
}

function mountTmpfs(size: string): string {
  const target = join(dir, 'mnt');
  execFileSync('mkdir', [target]);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', target]);
  mounted = target;
  return target;
}

/** Ids only: the todos here carry kilobytes of content that would drown a failure's diff. */
function ids(todos: readonly Todo[]): string[] {
  return todos.map((todo) => todo.id);
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error: unknown = await promise.then(
    () => new Error('the write succeeded'),
    (failed: unknown) => failed,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** Creates big todos until one fails (bounded); returns what succeeded and the error. */
async function fillUntilFailure(todos: JsonTodoRepository): Promise<{ created: Todo[]; error: StoreError }> {
  const created: Todo[] = [];
  for (let i = 0; i < 60; i += 1) {
    try {
      created.push(await todos.create({ content: `${i} ${'x'.repeat(3000)}`, ownerId: 'alice' }));
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      return { created, error: error as StoreError };
    }
  }
  throw new Error('the file system never filled up');
}

describe('a durable write that fails', () => {
  it('rolls back creates and deletes, keeps reads working and recovers once the fault clears (rename fails)', async () => {
    const file = join(dir, 'todos.json');
    const todos = await openRepository({ file });
    const kept = await todos.create({ content: 'kept', ownerId: 'alice' });

    await rm(file);
    await mkdir(join(file, 'in-the-way'), { recursive: true });
    const created = await failure(todos.create({ content: 'lost', ownerId: 'alice' }));
    expect(created.code).toBe('store_write_failed');
    expect(created.message).toContain(file);
    expect(created.message).toMatch(/EISDIR|ENOTEMPTY/);
    expect((await failure(todos.delete(kept.id, { ownerId: 'alice' }))).code).toBe('store_write_failed');
    expect(await todos.list({ ownerId: 'alice' })).toEqual([kept]);

    await rm(file, { recursive: true });
    const later = await todos.create({ content: 'later', ownerId: 'alice' });
    expect(await todos.list()).toEqual(inPageOrder([kept, later]));
    expect(await readTodosFile(file)).toEqual([kept, later]);
  });

  it.runIf(canMount)('reports ENOSPC, leaves the last good file, and writes again once space is freed', async () => {
    const mnt = mountTmpfs('64k');
    const file = join(mnt, 'todos.json');
    await writeFile(join(mnt, 'filler'), Buffer.alloc(16 * 1024));
    const todos = await openRepository({ file });

    const { created, error } = await fillUntilFailure(todos);
    expect(created.length).toBeGreaterThan(0);
    expect(error.code).toBe('store_write_failed');
    expect(error.message).toContain(file);
    expect(error.message).toContain('no space left on device (ENOSPC)');
    expect(ids(await todos.list())).toEqual(ids(inPageOrder(created)));
    expect(ids(await readTodosFile(file))).toEqual(ids(created));
    expect(await readdir(mnt)).toEqual(expect.not.arrayContaining(['todos.json.next']));

    await rm(join(mnt, 'filler'));
    const later = await todos.create({ content: 'after freeing space', ownerId: 'alice' });
    expect(ids(await readTodosFile(file))).toEqual(ids([...created, later]));
  });

  it.runIf(canMount)('keeps the journal free of failed appends when the disk fills up', async () => {
    const mnt = mountTmpfs('64k');
    const file = join(mnt, 'todos.json');
    await writeFile(join(mnt, 'filler'), Buffer.alloc(16 * 1024));
    const kinds: string[] = [];
    const options = { file, journalAfterBytes: 0, journalRatio: 1000, onCommit: (c: { kind: string }) => kinds.push(c.kind) };
    const todos = await openRepository(options);

    const { created, error } = await fillUntilFailure(todos);
    expect(kinds[0]).toBe('file');
    expect(kinds.slice(1).every((kind) => kind === 'journal')).toBe(true);
    expect(error.message).toContain(`${file}.journal`);
    expect(error.message).toContain('ENOSPC');
    expect(ids(await todos.list())).toEqual(ids(inPageOrder(created)));

    // What is on disk right now, opened elsewhere as a crash would leave it, holds exactly the acknowledged todos.
    const image = join(dir, 'image');
    await mkdir(image);
    await cp(file, join(image, 'todos.json'));
    await cp(`${file}.journal`, join(image, 'todos.json.journal'));
    const copy = await openRepository({ file: join(image, 'todos.json'), journalAfterBytes: 0, journalRatio: 1000 });
    expect(ids(await copy.list())).toEqual(ids(inPageOrder(created)));
    expect((await readFile(`${file}.journal`, 'utf8')).split('\n')).toHaveLength(created.length); // + final newline

    await rm(join(mnt, 'filler'));
    const later = await todos.create({ content: 'after freeing space', ownerId: 'alice' });
    await todos.close(); // folding the journal in may fail for lack of space: the journal then stays
    const reopened = await openRepository(options);
    expect(ids(await reopened.list())).toEqual(ids(inPageOrder([...created, later])));
  });

  it.runIf(canMount)('reports EROFS on a read-only file system and works again once it is writable', async () => {
    const mnt = mountTmpfs('1m');
    const file = join(mnt, 'todos.json');
    const todos = await openRepository({ file });
    const kept = await todos.create({ content: 'kept', ownerId: 'alice' });

    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const error = await failure(todos.create({ content: 'lost', ownerId: 'alice' }));
    expect(error.code).toBe('store_write_failed');
    expect(error.message).toContain(file);
    expect(error.message).toContain('read-only file system (EROFS)');
    expect((await failure(todos.delete(kept.id))).code).toBe('store_write_failed');
    expect(await todos.list()).toEqual([kept]);

    execFileSync('mount', ['-o', 'remount,rw', mnt]);
    const later = await todos.create({ content: 'later', ownerId: 'alice' });
    expect(await readTodosFile(file)).toEqual([kept, later]);
  });
});
