import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonTodoRepository } from '../../src/store/json-todo-repository.js';
import { StoreError } from '../../src/store/todo-repository.js';
import { makeTempDir, makeTodos, readTodosFile, writeTodosFile } from './store-test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let file: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  file = join(dir, 'todos.json');
});

afterEach(async () => {
  await cleanup();
});

async function openError(path = file): Promise<StoreError> {
  const error: unknown = await createJsonTodoRepository({ file: path }).then(
    async (repository) => {
      await repository.close();
      throw new Error('the store opened');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** The corrupt-file contract: error names the path, says untouched, and the named backup is a true copy. */
async function expectQuarantined(error: StoreError, path: string, original: string): Promise<void> {
  expect(error.code).toBe('store_corrupt');
  expect(error.message).toContain(path);
  expect(error.message).toMatch(/left untouched/);
  const backup = /backup copy was written to (\S+?)\. /.exec(error.message)?.[1];
  expect(backup).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.corrupt-\\d{4}-`));
  expect(await readFile(backup!, 'utf8')).toBe(original);
  expect(await readFile(path, 'utf8')).toBe(original);
  await expect(access(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' }); // the failed open let go
}

describe('opening the data file', () => {
  it('starts empty when the file is missing, creating parent directories on the first write', async () => {
    const nested = join(dir, 'a', 'b', 'todos.json');
    const todos = await createJsonTodoRepository({ file: nested });
    expect(await todos.list()).toEqual([]);
    const todo = await todos.create({ content: 'first', ownerId: 'alice' });
    await todos.close();
    expect(await readTodosFile(nested)).toEqual([todo]);
  });

  it('refuses a file that is not JSON, keeps it and writes a backup', async () => {
    const original = '{"todos": [ {"id": "x", ';
    await writeFile(file, original);
    const error = await openError();
    expect(error.message).toMatch(/not valid JSON/);
    await expectQuarantined(error, file, original);
  });

  it('refuses an empty file instead of treating it as an empty store', async () => {
    await writeFile(file, '');
    await expectQuarantined(await openError(), file, '');
  });

  it.each([
    ['a top-level array', '[]', /top level/],
    ['todos that is not an array', '{"todos": {}}', /"todos" is not an array/],
    ['a todo with a number id', '{"todos": [{"id": 1, "content": "x", "ownerId": "a", "createdAt": "2026-01-01T00:00:00.000Z"}]}', /todos\[0\]\.id/],
    ['a todo without an owner', '{"todos": [{"id": "1", "content": "x", "createdAt": "2026-01-01T00:00:00.000Z"}]}', /todos\[0\]\.ownerId/],
    ['a todo with a bad date', '{"todos": [{"id": "1", "content": "x", "ownerId": "a", "createdAt": "soon"}]}', /createdAt/],
    ['an unknown property', '{"todos": [], "__proto__": {"polluted": true}}', /unexpected property "__proto__"/],
  ])('refuses %s as the wrong shape', async (_name, original, detail) => {
    await writeFile(file, original);
    const error = await openError();
    expect(error.message).toMatch(/wrong shape/);
    expect(error.message).toMatch(detail);
    await expectQuarantined(error, file, original);
  });

  it('refuses a file in which an id appears twice', async () => {
    const [todo] = makeTodos(1);
    const original = JSON.stringify({ todos: [todo, todo] });
    await writeFile(file, original);
    const error = await openError();
    expect(error.message).toMatch(/appears twice/);
    await expectQuarantined(error, file, original);
  });

  it('refuses a journal with a broken line in the middle, naming the journal', async () => {
    await writeTodosFile(file, makeTodos(2));
    const original = '{"create":[],"delete":[]}\nnot json\n{"create":[],"delete":[]}\n';
    await writeFile(`${file}.journal`, original);
    const error = await openError();
    expect(error.message).toContain(`${file}.journal`);
    expect(error.message).toMatch(/line 2/);
    await expectQuarantined(error, `${file}.journal`, original);
  });

  it('reports a data file it cannot read as store_unreadable with the path and reason', async () => {
    await mkdir(file);
    const error = await openError();
    expect(error.code).toBe('store_unreadable');
    expect(error.message).toContain(file);
    expect(error.message).toContain('EISDIR');
    expect((await readdir(dir)).filter((name) => name.includes('corrupt'))).toEqual([]);
  });
});
