import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonTodoRepository, type CommitInfo, type JsonTodoRepository } from '../../src/store/json-todo-repository.js';
import type { Todo } from '../../src/store/todo-repository.js';
import { makeTempDir, readTodosFile } from './store-test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
const open: JsonTodoRepository[] = [];

async function openRepository(options: Partial<Parameters<typeof createJsonTodoRepository>[0]> = {}): Promise<JsonTodoRepository> {
  const repository = await createJsonTodoRepository({ file, ...options });
  open.push(repository);
  return repository;
}

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  file = join(dir, 'todos.json');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((repository) => repository.close()));
  await cleanup();
});

// What every store does (create/list/delete per owner, reopen, concurrent deletes, __proto__ as data, frozen
// todos, refusals, close) is the TodoRepository contract, run against this store in
// test/store-postgres/json-contract.test.ts. Here: what only the JSON file store promises.
describe('createJsonTodoRepository', () => {
  it('makes every one of 200 concurrent creates durable, each before its promise resolves', async () => {
    const todos = await openRepository();
    const resolvedWithDataOnDisk = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const todo = await todos.create({ content: `todo ${i}`, ownerId: `user-${i % 7}` });
        const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { todos: Todo[] };
        return onDisk.todos.some((stored) => stored.id === todo.id);
      }),
    );
    expect(resolvedWithDataOnDisk.every(Boolean)).toBe(true);
    const stored = await readTodosFile(file);
    expect(stored).toHaveLength(200);
    expect(new Set(stored.map((todo) => todo.id)).size).toBe(200);
  });

  it('coalesces writes that arrive while one is in flight into one following write', async () => {
    const commits: CommitInfo[] = [];
    const todos = await openRepository({ onCommit: (commit) => commits.push(commit) });
    const first = todos.create({ content: 'first', ownerId: 'alice' });
    await new Promise((resolve) => setImmediate(resolve)); // the first write is now in flight
    expect(commits).toHaveLength(0);
    const rest = Array.from({ length: 99 }, (_, i) => todos.create({ content: `later ${i}`, ownerId: 'alice' }));
    await Promise.all([first, ...rest]);
    expect(commits.map((commit) => commit.operations)).toEqual([1, 99]);
    expect(await readTodosFile(file)).toHaveLength(100);
  });

  it('needs far fewer durable writes than calls under concurrent load', async () => {
    let commits = 0;
    const todos = await openRepository({ onCommit: () => (commits += 1) });
    await Promise.all(
      Array.from({ length: 40 }, async (_, caller) => {
        for (let i = 0; i < 10; i += 1) await todos.create({ content: `${caller}/${i}`, ownerId: `user-${caller}` });
      }),
    );
    expect(await readTodosFile(file)).toHaveLength(400);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThanOrEqual(40); // one per round of the 40 callers, not one per call
  });

  it('flushes writes still queued when close is called', async () => {
    const todos = await openRepository();
    const pending = Array.from({ length: 20 }, (_, i) => todos.create({ content: `${i}`, ownerId: 'alice' }));
    await todos.close();
    const created = await Promise.all(pending);
    expect((await readTodosFile(file)).map((todo) => todo.id)).toEqual(created.map((todo) => todo.id));
  });
});
