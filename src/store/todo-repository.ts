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
 * Where todos live. Implementations must make a write durable before its promise resolves and must
 * never return another owner's todo when `ownerId` is given.
 */
export interface TodoRepository {
  create(input: { content: string; ownerId: string }): Promise<Todo>;
  /** All todos, or only `ownerId`'s when it is given; oldest first. */
  list(filter?: { ownerId?: string }): Promise<Todo[]>;
  /** Deletes and returns the todo, or undefined when no todo with that id (owned by `ownerId`, if given) exists. */
  delete(id: string, filter?: { ownerId?: string }): Promise<Todo | undefined>;
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
