import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Todo, TodoRepository } from '../../src/store/todo-repository.js';

/** One empty store for one test; `open` may be called again after closing (and, if `shared`, while open). */
export interface ContractStore {
  open(): Promise<TodoRepository>;
  /** Removes what the store left behind. Default: nothing to do. */
  cleanup?(): Promise<void>;
}

export interface ContractSubject {
  /** A fresh, empty store. */
  fresh(): Promise<ContractStore>;
  /** Several repositories may be open on one store at once (server replicas sharing a database). */
  shared: boolean;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * What every TodoRepository must do, whatever keeps the todos: run inside a `describe` with a subject.
 * Behaviour visible only through one store's files or tables is tested next to that store.
 */
export function todoRepositoryContract(subject: () => ContractSubject): void {
  let store: ContractStore;
  const open: TodoRepository[] = [];

  async function openRepository(): Promise<TodoRepository> {
    const repository = await store.open();
    open.push(repository);
    return repository;
  }

  /** What a newly opened repository sees: the JSON store allows one writer, so the current one closes first. */
  async function seenAfresh(current: TodoRepository, filter?: { ownerId?: string }): Promise<Todo[]> {
    if (!subject().shared) await current.close();
    return (await openRepository()).list(filter);
  }

  beforeEach(async () => {
    store = await subject().fresh();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((repository) => repository.close()));
    await store.cleanup?.();
  });

  it('creates, lists and deletes todos, each owner seeing only their own', async () => {
    const todos = await openRepository();
    const a1 = await todos.create({ content: 'buy milk', ownerId: 'alice' });
    const b1 = await todos.create({ content: 'walk dog', ownerId: 'bob' });
    const a2 = await todos.create({ content: 'call mum', ownerId: 'alice' });

    expect(a1).toMatchObject({ content: 'buy milk', ownerId: 'alice' });
    expect(a1.id).toMatch(UUID_V4);
    expect(new Date(a1.createdAt).toISOString()).toBe(a1.createdAt);
    expect(Date.parse(a1.createdAt)).toBeLessThanOrEqual(Date.parse(a2.createdAt));
    expect(await todos.list({ ownerId: 'alice' })).toEqual([a1, a2]);
    expect(await todos.list({ ownerId: 'bob' })).toEqual([b1]);
    expect(await todos.list({ ownerId: 'carol' })).toEqual([]);
    expect(await todos.list()).toEqual([a1, b1, a2]);

    // Someone else's todo looks exactly like a missing one, and stays.
    expect(await todos.delete(a1.id, { ownerId: 'bob' })).toBeUndefined();
    expect(await todos.delete('no-such-id', { ownerId: 'alice' })).toBeUndefined();
    expect(await todos.delete('00000000-0000-4000-8000-000000000000', { ownerId: 'alice' })).toBeUndefined();
    expect(await todos.delete(a1.id, { ownerId: 'alice' })).toEqual(a1);
    expect(await todos.delete(a1.id, { ownerId: 'alice' })).toBeUndefined();
    expect(await todos.list({ ownerId: 'alice' })).toEqual([a2]);
    expect(await todos.delete(b1.id)).toEqual(b1); // no filter: an administrative delete
    expect(await seenAfresh(todos)).toEqual([a2]);
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

  it('keeps every one of 200 concurrent creates, with distinct ids, for the right owners', async () => {
    const todos = await openRepository();
    const created = await Promise.all(Array.from({ length: 200 }, (_, i) => todos.create({ content: `todo ${i}`, ownerId: `user-${i % 7}` })));
    expect(new Set(created.map((todo) => todo.id)).size).toBe(200);
    const stored = await seenAfresh(todos);
    expect(stored).toHaveLength(200);
    expect(new Set(stored.map((todo) => todo.id))).toEqual(new Set(created.map((todo) => todo.id)));
    for (const todo of stored) expect(todo.ownerId).toBe(`user-${Number(todo.content.split(' ')[1]) % 7}`);
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
    expect(await todos.list()).toEqual([odd, other]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores text exactly: quotes, SQL and JSON syntax, emoji, newlines, the empty string', async () => {
    const todos = await openRepository();
    const texts = [`it's "quoted"`, "'); DROP TABLE todos; --", '{"todos":[]}', 'naïve 🧪 ✓', 'line 1\nline 2\ttab', ''];
    const created = [];
    for (const content of texts) created.push(await todos.create({ content, ownerId: "o'brien" }));
    expect((await seenAfresh(todos, { ownerId: "o'brien" })).map((todo) => todo.content)).toEqual(texts);
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
    await expect(todos.delete('x')).rejects.toThrow(/closed/);
  });

  it('lets writes already started finish when close is called', async () => {
    const todos = await openRepository();
    const pending = Array.from({ length: 20 }, (_, i) => todos.create({ content: `${i}`, ownerId: 'alice' }));
    await todos.close();
    const created = await Promise.all(pending);
    const reopened = await openRepository();
    expect(new Set((await reopened.list()).map((todo) => todo.id))).toEqual(new Set(created.map((todo) => todo.id)));
  });

  describe('shared by several repositories at once (replicas)', () => {
    it('shows a write acknowledged by one to every other at once, and decides deletes once across them', async (context) => {
      if (!subject().shared) return context.skip('this store has a single writer');
      const [a, b, c] = [await openRepository(), await openRepository(), await openRepository()];
      const todo = await a.create({ content: 'from a', ownerId: 'alice' });
      expect(await b.list({ ownerId: 'alice' })).toEqual([todo]);
      const results = await Promise.all([a, b, c].map((repository) => repository.delete(todo.id, { ownerId: 'alice' })));
      expect(results.filter((result) => result !== undefined)).toEqual([todo]);
      expect(await c.list()).toEqual([]);
    });

    it('keeps exactly every create made concurrently through three repositories', async (context) => {
      if (!subject().shared) return context.skip('this store has a single writer');
      const repositories = [await openRepository(), await openRepository(), await openRepository()];
      const created = await Promise.all(
        Array.from({ length: 150 }, (_, i) => repositories[i % 3]!.create({ content: `r${i % 3} ${i}`, ownerId: `user-${i % 5}` })),
      );
      for (const repository of repositories) expect(await repository.list()).toHaveLength(150);
      const all = await repositories[0]!.list();
      expect(new Set(all.map((todo) => todo.id))).toEqual(new Set(created.map((todo) => todo.id)));
      // Oldest first by the store's clock: the order every replica reports is the same.
      expect(await repositories[2]!.list()).toEqual(all);
      for (let i = 1; i < all.length; i += 1) expect(Date.parse(all[i - 1]!.createdAt)).toBeLessThanOrEqual(Date.parse(all[i]!.createdAt));
    });
  });
}
