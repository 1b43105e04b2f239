import type { PagePosition, Todo, TodoPage } from './todo-repository.js';

/** A todo with its sort key: `createdAt` as milliseconds (stored text may be any date Date.parse reads), then `id`. */
interface Entry {
  readonly time: number;
  readonly id: string;
  readonly todo: Todo;
}

/** Negative, zero or positive as (time, id) sorts before, with or after (otherTime, otherId). */
function compare(time: number, id: string, otherTime: number, otherId: string): number {
  if (time !== otherTime) return time < otherTime ? -1 : 1;
  return id < otherId ? -1 : id > otherId ? 1 : 0;
}

function entryOf(todo: Todo): Entry {
  return { time: Date.parse(todo.createdAt), id: todo.id, todo };
}

/**
 * Todos kept sorted by (createdAt, id) in one array, the order pages are read in. A page is a binary
 * search plus a slice: O(log n + page), whatever the size. New todos almost always sort last (their
 * createdAt is now), so an insert is usually a push; a delete moves the array's tail down by one (a
 * memmove: tens of microseconds at 100k todos, and deletes are rare next to reads). A balanced tree would
 * make deletes O(log n) too, at the price of slower reads and far more code; measured, the array wins here.
 */
export interface OrderedTodos {
  readonly size: number;
  insert(todo: Todo): void;
  /** Removes this todo (found by its createdAt and id); no effect when it is not there. */
  remove(todo: Todo): void;
  /** Up to `limit` todos after `after` (from the first when undefined), and where the next page starts. */
  page(limit: number, after: PagePosition | undefined): TodoPage;
  /** Every todo, in order. */
  all(): Todo[];
}

/** An ordered set holding `todos` (any order; sorted once here). */
export function createOrderedTodos(todos: readonly Todo[] = []): OrderedTodos {
  const entries = todos.map(entryOf);
  let sorted = true;
  for (let i = 1; i < entries.length && sorted; i += 1) {
    const a = entries[i - 1]!;
    const b = entries[i]!;
    sorted = compare(a.time, a.id, b.time, b.id) < 0;
  }
  if (!sorted) entries.sort((a, b) => compare(a.time, a.id, b.time, b.id));

  /** The index of the first entry sorting after (time, id), or at it when `inclusive`. */
  function lowerBound(time: number, id: string, inclusive: boolean): number {
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const entry = entries[mid]!;
      const order = compare(entry.time, entry.id, time, id);
      if (order < 0 || (order === 0 && !inclusive)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  return {
    get size() {
      return entries.length;
    },
    insert(todo) {
      const entry = entryOf(todo);
      const last = entries[entries.length - 1];
      if (last === undefined || compare(last.time, last.id, entry.time, entry.id) < 0) entries.push(entry);
      else entries.splice(lowerBound(entry.time, entry.id, true), 0, entry);
    },
    remove(todo) {
      const time = Date.parse(todo.createdAt);
      const index = lowerBound(time, todo.id, true);
      if (entries[index]?.id === todo.id) entries.splice(index, 1);
    },
    page(limit, after) {
      const start = after === undefined ? 0 : lowerBound(Date.parse(after.createdAt), after.id, false);
      const end = Math.min(start + limit, entries.length);
      const page: Todo[] = new Array(end - start);
      for (let i = start; i < end; i += 1) page[i - start] = entries[i]!.todo;
      const last = page[page.length - 1];
      const next = end < entries.length && last !== undefined ? { createdAt: last.createdAt, id: last.id } : undefined;
      return { todos: page, next };
    },
    all: () => entries.map((entry) => entry.todo),
  };
}
