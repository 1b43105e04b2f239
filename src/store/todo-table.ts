import { createOrderedTodos, type OrderedTodos } from './ordered-todos.js';
import type { PagePosition, Todo, TodoPage } from './todo-repository.js';
import { DocumentShapeError, parseTodoChange, parseTodoFile } from './todo-shape.js';
import type { DurableDocument } from './durable-json-file.js';

/**
 * The todos in memory, indexed by id, and in page order ((createdAt, id): see ordered-todos.ts) both all
 * together and per owner, so that a page of anyone's todos or of one owner's costs the page, not the
 * store. Maps, never plain objects, hold anything keyed by user input (no prototype pollution).
 *
 * Changes are staged, written, then committed: reads only ever see what is on disk, and a failed write
 * is undone by dropping the staged change.
 */
export interface TodoTable extends DurableDocument {
  readonly size: number;
  get(id: string): Todo | undefined;
  /** All todos, or only `ownerId`'s, in page order. */
  list(ownerId?: string): Todo[];
  /** Up to `limit` todos (all, or `ownerId`'s) after `after`, in page order. */
  page(ownerId: string | undefined, limit: number, after: PagePosition | undefined): TodoPage;
  /** Sets the change the next write saves. Deleted ids must exist; only one change is staged at a time. */
  stage(create: readonly Todo[], deleteIds: readonly string[]): void;
  /** The staged change reached the disk: make it visible. */
  commitStaged(): void;
  /** The staged change did not reach the disk: forget it. */
  discardStaged(): void;
  /** Applies a journal line read back from disk. */
  replay(change: unknown): void;
}

interface Staged {
  readonly create: readonly Todo[];
  readonly deleteIds: ReadonlySet<string>;
}

/** An empty table when `json` is undefined, else the todos of a parsed data file (checked). */
export function decodeTodoTable(json: unknown): TodoTable {
  return createTodoTable(json === undefined ? [] : parseTodoFile(json));
}

/** A table holding `todos` (oldest first); a repeated id is a DocumentShapeError. */
export function createTodoTable(todos: readonly Todo[] = []): TodoTable {
  const byId = new Map<string, Todo>();
  let staged: Staged | undefined;

  // Loaded in one go: each ordered set sorts once (usually a check that the file was already in order).
  const owners = new Map<string, Todo[]>();
  for (const todo of todos) {
    if (byId.has(todo.id)) throw new DocumentShapeError(`todo id ${JSON.stringify(todo.id)} appears twice`);
    byId.set(todo.id, todo);
    const owned = owners.get(todo.ownerId);
    if (owned === undefined) owners.set(todo.ownerId, [todo]);
    else owned.push(todo);
  }
  const ordered = createOrderedTodos(todos);
  const byOwner = new Map<string, OrderedTodos>([...owners].map(([owner, owned]) => [owner, createOrderedTodos(owned)]));
  owners.clear();

  function insert(todo: Todo): void {
    byId.set(todo.id, todo);
    ordered.insert(todo);
    let owned = byOwner.get(todo.ownerId);
    if (owned === undefined) byOwner.set(todo.ownerId, (owned = createOrderedTodos()));
    owned.insert(todo);
  }

  function remove(id: string): void {
    const todo = byId.get(id);
    if (todo === undefined) return;
    byId.delete(id);
    ordered.remove(todo);
    const owned = byOwner.get(todo.ownerId);
    owned?.remove(todo);
    if (owned?.size === 0) byOwner.delete(todo.ownerId);
  }

  function allWithStaged(): Todo[] {
    if (staged === undefined) return [...byId.values()];
    const { create, deleteIds } = staged;
    const kept = deleteIds.size === 0 ? [...byId.values()] : [...byId.values()].filter((todo) => !deleteIds.has(todo.id));
    return create.length === 0 ? kept : kept.concat(create);
  }

  return {
    get size() {
      return byId.size;
    },
    get: (id) => byId.get(id),
    list(ownerId) {
      if (ownerId === undefined) return ordered.all();
      return byOwner.get(ownerId)?.all() ?? [];
    },
    page(ownerId, limit, after) {
      const set = ownerId === undefined ? ordered : byOwner.get(ownerId);
      return set === undefined ? { todos: [], next: undefined } : set.page(limit, after);
    },
    stage(create, deleteIds) {
      if (staged !== undefined) throw new Error('a change is already staged');
      staged = { create, deleteIds: new Set(deleteIds) };
    },
    commitStaged() {
      if (staged === undefined) return;
      for (const id of staged.deleteIds) remove(id);
      for (const todo of staged.create) insert(todo);
      staged = undefined;
    },
    discardStaged() {
      staged = undefined;
    },
    replay(json) {
      const change = parseTodoChange(json);
      // Lenient on purpose: a journal line never repeats what the file holds, but if it did, keeping the
      // first copy and ignoring a delete of a missing id loses nothing.
      for (const id of change.delete) remove(id);
      for (const todo of change.create) if (!byId.has(todo.id)) insert(todo);
    },
    // One JSON.stringify over the array: the fastest way V8 offers to serialise many small objects.
    toJson: () => JSON.stringify({ todos: allWithStaged() }),
    pendingChanges() {
      if (staged === undefined || (staged.create.length === 0 && staged.deleteIds.size === 0)) return undefined;
      return JSON.stringify({ create: staged.create, delete: [...staged.deleteIds] });
    },
  };
}
