import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOrderedTodos } from '../../src/store/ordered-todos.js';
import type { Todo } from '../../src/store/todo-repository.js';
import { inPageOrder } from './store-test-helpers.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const todo = (ms: number, id: string = randomUUID()): Todo => ({ id, content: id, ownerId: 'o', createdAt: at(ms) });

describe('ordered todos (the JSON store’s page order)', () => {
  it('sorts by time, then by id, however the todos arrive, and whatever text spells the time', () => {
    const tied = [todo(5, 'b'), todo(5, 'a'), todo(5, 'c')];
    const set = createOrderedTodos([todo(9), ...tied, todo(1)]);
    // The same instant written without milliseconds still sorts as that instant.
    const plain: Todo = { id: 'z', content: 'z', ownerId: 'o', createdAt: '2026-01-01T00:00:00Z' };
    set.insert(plain);
    set.insert(todo(3));
    set.insert(todo(5, 'bb'));
    const all = set.all();
    expect(all).toEqual(inPageOrder(all));
    expect(all[0]).toBe(plain);
    expect(all.filter((t) => t.createdAt === at(5)).map((t) => t.id)).toEqual(['a', 'b', 'bb', 'c']);
  });

  it('pages from after a position, including one that is no longer there, and says when nothing follows', () => {
    const todos = Array.from({ length: 10 }, (_, i) => todo(i * 10, `id-${i}`));
    const set = createOrderedTodos(todos);
    expect(set.page(4, undefined)).toEqual({ todos: todos.slice(0, 4), next: { createdAt: todos[3]!.createdAt, id: 'id-3' } });
    expect(set.page(4, { createdAt: todos[7]!.createdAt, id: 'id-7' })).toEqual({ todos: todos.slice(8), next: undefined });
    // A position between two todos (its todo deleted, or never here): the page starts at the next one.
    expect(set.page(2, { createdAt: at(35), id: 'x' }).todos).toEqual(todos.slice(4, 6));
    expect(set.page(2, { createdAt: at(30), id: 'id-3a' }).todos).toEqual(todos.slice(4, 6));
    set.remove(todos[4]!);
    expect(set.page(2, { createdAt: todos[4]!.createdAt, id: 'id-4' }).todos).toEqual(todos.slice(5, 7));
    expect(set.page(10, { createdAt: at(1_000), id: '' })).toEqual({ todos: [], next: undefined });
    expect(set.page(9, undefined).next).toBeUndefined();
    expect(set.size).toBe(9);
  });

  it('removes exactly the todo asked for, among ties, and ignores one it does not hold', () => {
    const tied = [todo(5, 'a'), todo(5, 'b'), todo(5, 'c')];
    const set = createOrderedTodos(tied);
    set.remove(todo(5, 'x'));
    set.remove(todo(6, 'b'));
    expect(set.size).toBe(3);
    set.remove(tied[1]!);
    expect(set.all().map((t) => t.id)).toEqual(['a', 'c']);
  });

  it('reads a page at 100k todos in about the time of a page at 1k', () => {
    const time = (size: number) => {
      const set = createOrderedTodos(Array.from({ length: size }, (_, i) => todo(i)));
      const middle = { createdAt: at(size >> 1), id: '' };
      const started = performance.now();
      for (let i = 0; i < 2_000; i += 1) set.page(100, middle);
      return performance.now() - started;
    };
    const small = Math.min(time(1_000), time(1_000));
    const large = Math.min(time(100_000), time(100_000));
    // O(log n + page): a copy of the whole list (O(n)) would be ~100× slower here.
    expect(large).toBeLessThan(small * 5 + 20);
  });
});
