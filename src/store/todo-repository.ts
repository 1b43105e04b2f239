import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';

/** A stored todo. `ownerId` is the `sub` of the token that created it. */
export interface Todo {
  readonly id: string;
  readonly content: string;
  readonly ownerId: string;
  /** ISO 8601 creation time. */
  readonly createdAt: string;
}

/**
 * A place in the order every store lists todos in: by `createdAt` (as a time), then by `id` (as a string;
 * for the canonical lowercase UUIDs the stores issue that is also PostgreSQL's uuid order). A page that
 * starts after a position neither repeats nor skips a todo that existed throughout, whatever was created
 * or deleted meanwhile, the todo at the position itself included.
 */
export interface PagePosition {
  /** ISO 8601 time, as in {@link Todo.createdAt}. */
  readonly createdAt: string;
  readonly id: string;
}

/** Most todos one page may hold, whatever a caller asks for. */
export const MAX_PAGE_LIMIT = 1_000;

export interface PageQuery {
  /** Only this owner's todos. Default: everyone's. */
  ownerId?: string;
  /** Most todos in the page, 1 to {@link MAX_PAGE_LIMIT}. Required. */
  limit: number;
  /** Start just after this position. Default: at the oldest todo. */
  after?: PagePosition;
}

export interface TodoPage {
  /** Oldest first. */
  readonly todos: Todo[];
  /** Where the next page starts (the last todo of this one), or undefined when no todo follows. */
  readonly next: PagePosition | undefined;
}

/**
 * Where todos live. Implementations must make a write durable before its promise resolves and must
 * never return another owner's todo when `ownerId` is given.
 */
export interface TodoRepository {
  create(input: { content: string; ownerId: string }): Promise<Todo>;
  /** All todos, or only `ownerId`'s when it is given, in page order (oldest first). */
  list(filter?: { ownerId?: string }): Promise<Todo[]>;
  /** One page of todos in the order of {@link PagePosition}; costs about the page, not the store. */
  page(query: PageQuery): Promise<TodoPage>;
  /** Deletes and returns the todo, or undefined when no todo with that id (owned by `ownerId`, if given) exists. */
  delete(id: string, filter?: { ownerId?: string }): Promise<Todo | undefined>;
  /**
   * A secret shared by every process that opens this store, for signing page cursors: random for each
   * open of the single-process JSON file, kept in the database for PostgreSQL so that any replica accepts
   * a cursor another one issued. At least 32 bytes.
   */
  readonly cursorSecret: Uint8Array;
  close(): Promise<void>;
}

/**
 * `store_write_failed`: a write did not become durable; `store_corrupt`: the stored data cannot be used;
 * `store_locked`: another process holds the store; `store_unreadable`: the store cannot be read or reached.
 */
export type StoreErrorCode = 'store_write_failed' | 'store_corrupt' | 'store_locked' | 'store_unreadable';

/** A storage failure that a tool turns into a clear error for the user (and `serve` into exit code 6). */
export class StoreError extends TodoMcpError<StoreErrorCode> {
  override readonly name = 'StoreError';
  constructor(code: StoreErrorCode, message: string, options: TodoMcpErrorOptions = {}) {
    super(code, message, options);
  }
}
