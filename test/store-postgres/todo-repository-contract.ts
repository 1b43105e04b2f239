import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PagePosition, Todo, TodoRepository } from '../../src/store/todo-repository.js';
import { inPageOrder } from '../store/store-test-helpers.js';

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

/** Every page of a listing, `limit` at a time, following `next` (bounded, so a store that loops fails the test). */
async function allPages(todos: TodoRepository, limit: number, ownerId?: string): Promise<Todo[][]> {
  const pages: Todo[][] = [];
  let after: PagePosition | undefined;
  do {
    const page = await todos.page({ ...(ownerId === undefined ? {} : { ownerId }), limit, ...(after ? { after } : {}) });
    pages.push(page.todos);
    after = page.next;
    if (pages.length > 1_000) throw new Error('more than 1000 pages: the store does not move on');
  } while (after !== undefined);
  return pages;
}

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
    expect(await todos.list({ ownerId: 'alice' })).toEqual(inPageOrder([a1, a2]));
    expect(await todos.list({ ownerId: 'bob' })).toEqual([b1]);
    expect(await todos.list({ ownerId: 'carol' })).toEqual([]);
    expect(await todos.list()).toEqual(inPageOrder([a1, b1, a2]));

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
    expect(await second.list({ ownerId: 'alice' })).toEqual(inPageOrder([created[0]!, created[1]!, created[3]!, created[4]!]));
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
    expect(await todos.list()).toEqual(inPageOrder([odd, other]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores text exactly: quotes, SQL and JSON syntax, emoji, newlines, the empty string', async () => {
    const todos = await openRepository();
    const texts = [`it's "quoted"`, "'); DROP TABLE todos; --", '{"todos":[]}', 'naïve 🧪 ✓', 'line 1\nline 2\ttab', ''];
    const created = [];
    for (const content of texts) created.push(await todos.create({ content, ownerId: "o'brien" }));
    expect(await seenAfresh(todos, { ownerId: "o'brien" })).toEqual(inPageOrder(created));
    expect(created.map((todo) => todo.content)).toEqual(texts);
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

  describe('pages', () => {
    it('lists every todo once, in page order, whatever the page size, with no empty last page', async () => {
      const todos = await openRepository();
      const created: Todo[] = [];
      for (let i = 0; i < 23; i += 1) created.push(await todos.create({ content: `todo ${i}`, ownerId: i % 3 === 0 ? 'bob' : 'alice' }));
      const everyone = inPageOrder(created);
      expect(await todos.list()).toEqual(everyone);
      for (const limit of [1, 5, 23, 100]) {
        const pages = await allPages(todos, limit);
        expect(pages.flat()).toEqual(everyone);
        expect(pages).toHaveLength(Math.ceil(23 / limit));
        for (const page of pages) expect(page.length).toBeGreaterThan(0);
      }
      // An exact multiple of the limit: the last full page says nothing follows.
      const alices = everyone.filter((todo) => todo.ownerId === 'alice');
      expect(alices).toHaveLength(15);
      const three = await allPages(todos, 5, 'alice');
      expect(three.map((page) => page.length)).toEqual([5, 5, 5]);
      expect(three.flat()).toEqual(alices);
      expect(await todos.page({ ownerId: 'carol', limit: 10 })).toEqual({ todos: [], next: undefined });
    });

    it("never shows another owner's todos, even from a position taken from one of them", async () => {
      const todos = await openRepository();
      const created: Todo[] = [];
      for (let i = 0; i < 12; i += 1) created.push(await todos.create({ content: `todo ${i}`, ownerId: i % 2 === 0 ? 'alice' : 'bob' }));
      const bobs = inPageOrder(created.filter((todo) => todo.ownerId === 'bob'));
      for (const page of await allPages(todos, 4, 'alice')) for (const todo of page) expect(todo.ownerId).toBe('alice');
      // Start after one of bob's todos: alice still gets only her own, those after that point.
      const from = bobs[2]!;
      const page = await todos.page({ ownerId: 'alice', limit: 100, after: { createdAt: from.createdAt, id: from.id } });
      expect(page.todos).toEqual(inPageOrder(created).filter((todo) => todo.ownerId === 'alice' && inPageOrder([todo, from])[0] === from));
      expect(page.next).toBeUndefined();
    });

    it('neither repeats nor skips a todo that existed throughout, while others are created and deleted between pages', async () => {
      const todos = await openRepository();
      const created: Todo[] = [];
      for (let i = 0; i < 60; i += 1) created.push(await todos.create({ content: `before ${i}`, ownerId: `user-${i % 2}` }));
      // Deleted while paging: some of the first page's todos (already seen) and some far ahead (not yet).
      const doomed = new Set([created[1]!, created[2]!, created[40]!, created[41]!, created[59]!].map((todo) => todo.id));
      const seen: Todo[] = [];
      let after: PagePosition | undefined;
      for (let round = 0; round < 100; round += 1) {
        const page = await todos.page({ limit: 7, ...(after ? { after } : {}) });
        seen.push(...page.todos);
        // Between pages, other callers write: creates (they sort last, after everything here) and deletes.
        await Promise.all([
          todos.create({ content: `during ${round}`, ownerId: 'user-2' }),
          ...(round === 0 ? [...doomed].map((id) => todos.delete(id)) : []),
        ]);
        after = page.next;
        if (after === undefined) break;
      }
      expect(after).toBeUndefined();
      const ids = seen.map((todo) => todo.id);
      expect(new Set(ids).size).toBe(ids.length);
      const throughout = created.filter((todo) => !doomed.has(todo.id));
      const seenIds = new Set(ids);
      for (const todo of throughout) expect(seenIds.has(todo.id)).toBe(true);
      // The pages are in order, and the deleted todos ahead of the reader never appear.
      expect(seen).toEqual(inPageOrder(seen));
      for (const id of [created[40]!.id, created[41]!.id, created[59]!.id]) expect(seenIds.has(id)).toBe(false);
    });

    it('goes on from a position whose todo was deleted', async () => {
      const todos = await openRepository();
      const created: Todo[] = [];
      for (let i = 0; i < 6; i += 1) created.push(await todos.create({ content: `todo ${i}`, ownerId: 'alice' }));
      const ordered = inPageOrder(created);
      const first = await todos.page({ ownerId: 'alice', limit: 3 });
      expect(first.todos).toEqual(ordered.slice(0, 3));
      expect(first.next).toEqual({ createdAt: ordered[2]!.createdAt, id: ordered[2]!.id });
      await todos.delete(ordered[2]!.id);
      const second = await todos.page({ ownerId: 'alice', limit: 3, after: first.next });
      expect(second).toEqual({ todos: ordered.slice(3), next: undefined });
    });

    it('refuses a limit outside 1–1000 and a position that is not one', async () => {
      const todos = await openRepository();
      for (const limit of [0, -1, 1.5, 1_001, Number.NaN]) await expect(todos.page({ limit })).rejects.toThrow(TypeError);
      await expect(todos.page({ limit: 10, after: { createdAt: 'yesterday', id: 'x' } })).rejects.toThrow(TypeError);
      await expect(todos.page({ limit: 10, after: { createdAt: new Date().toISOString(), id: '' } })).rejects.toThrow(TypeError);
      expect(await todos.page({ limit: 1_000 })).toEqual({ todos: [], next: undefined });
    });

    it('has a cursor secret of at least 32 bytes', async () => {
      const todos = await openRepository();
      expect(todos.cursorSecret).toBeInstanceOf(Uint8Array);
      expect(todos.cursorSecret.length).toBeGreaterThanOrEqual(32);
    });
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
      // Every replica signs page cursors with the same secret, so any of them continues a listing.
      expect(Buffer.from(b.cursorSecret).equals(Buffer.from(a.cursorSecret))).toBe(true);
      expect(Buffer.from(c.cursorSecret).equals(Buffer.from(a.cursorSecret))).toBe(true);
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
      // Oldest first by the store's clock: the order every replica reports is the same, page by page too.
      expect(await repositories[2]!.list()).toEqual(all);
      expect(all).toEqual(inPageOrder(all));
      expect((await allPages(repositories[1]!, 16)).flat()).toEqual(all);
    });
  });
}
