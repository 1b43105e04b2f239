import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonTodoRepository, type CommitInfo, type JsonTodoRepository } from '../../src/store/json-todo-repository.js';
import type { Todo } from '../../src/store/todo-repository.js';
import { inPageOrder, makeTempDir, readTodosFile } from './store-test-helpers.js';

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

describe('createJsonTodoRepository', () => {
  it('creates, lists and deletes todos, each owner seeing only their own', async () => {
    const todos = await openRepository();
    const a1 = await todos.create({ content: 'buy milk', ownerId: 'alice' });
    const b1 = await todos.create({ content: 'walk dog', ownerId: 'bob' });
    const a2 = await todos.create({ content: 'call mum', ownerId: 'alice' });

    expect(a1).toMatchObject({ content: 'buy milk', ownerId: 'alice' });
    expect(a1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(a1.createdAt).toISOString()).toBe(a1.createdAt);
    expect(await todos.list({ ownerId: 'alice' })).toEqual([a1, a2]);
    expect(await todos.list({ ownerId: 'bob' })).toEqual([b1]);
    expect(await todos.list({ ownerId: 'carol' })).toEqual([]);
    expect(await todos.list()).toEqual(inPageOrder([a1, b1, a2]));

    // Someone else's todo looks exactly like a missing one, and stays.
    expect(await todos.delete(a1.id, { ownerId: 'bob' })).toBeUndefined();
    expect(await todos.delete('no-such-id', { ownerId: 'alice' })).toBeUndefined();
    expect(await todos.delete(a1.id, { ownerId: 'alice' })).toEqual(a1);
    expect(await todos.delete(a1.id, { ownerId: 'alice' })).toBeUndefined();
    expect(await todos.list({ ownerId: 'alice' })).toEqual([a2]);
    expect(await todos.delete(b1.id)).toEqual(b1); // no filter: an administrative delete
    expect((await readTodosFile(file)).map((todo) => todo.id)).toEqual([a2.id]);
  });

  it('keeps todos across a close and reopen, oldest first', async () => {
    const first = await openRepository();
    const created: Todo[] = [];
    for (let i = 0; i < 5; i += 1) created.push(await first.create({ content: `todo ${i}`, ownerId: 'alice' }));
    await first.delete(created[2]!.id);
    await first.close();

    const second = await openRepository();
    expect(await second.list({ ownerId: 'alice' })).toEqual([created[0], created[1], created[3], created[4]]);
  });

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

  it('decides concurrent deletes of the same todo once', async () => {
    const todos = await openRepository();
    const todo = await todos.create({ content: 'once', ownerId: 'alice' });
    const results = await Promise.all(Array.from({ length: 5 }, () => todos.delete(todo.id, { ownerId: 'alice' })));
    expect(results.filter((result) => result !== undefined)).toEqual([todo]);
  });

  it('treats ids and owners such as __proto__ as plain data', async () => {
    const todos = await openRepository();
    const odd = await todos.create({ content: 'x', ownerId: '__proto__' });
    const other = await todos.create({ content: 'y', ownerId: 'constructor' });
    expect(await todos.list({ ownerId: '__proto__' })).toEqual([odd]);
    expect(await todos.list({ ownerId: 'toString' })).toEqual([]);
    expect(await todos.delete('__proto__')).toBeUndefined();
    expect(await todos.delete('constructor', { ownerId: 'constructor' })).toBeUndefined();
    expect(await todos.list()).toEqual(inPageOrder([odd, other]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hands out frozen todos, so callers cannot change the store', async () => {
    const todos = await openRepository();
    const todo = await todos.create({ content: 'original', ownerId: 'alice' });
    expect(() => ((todo as { content: string }).content = 'changed')).toThrow(TypeError);
    const listed = await todos.list();
    listed.pop();
    expect(await todos.list()).toEqual([todo]);
  });

  it('rejects invalid input and calls after close', async () => {
    const todos = await openRepository();
    await expect(todos.create({ content: 'x', ownerId: '' })).rejects.toThrow(TypeError);
    await expect(todos.create({ content: 42 as unknown as string, ownerId: 'alice' })).rejects.toThrow(TypeError);
    await todos.close();
    await expect(todos.list()).rejects.toThrow(/closed/);
    await expect(todos.create({ content: 'x', ownerId: 'alice' })).rejects.toThrow(/closed/);
  });

  it('flushes writes still queued when close is called', async () => {
    const todos = await openRepository();
    const pending = Array.from({ length: 20 }, (_, i) => todos.create({ content: `${i}`, ownerId: 'alice' }));
    await todos.close();
    const created = await Promise.all(pending);
    expect((await readTodosFile(file)).map((todo) => todo.id)).toEqual(created.map((todo) => todo.id));
  });
});
