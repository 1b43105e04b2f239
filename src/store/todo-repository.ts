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

/** A storage failure that a tool turns into a clear error for the user. */
export class StoreError extends Error {
  readonly code: 'STORE_WRITE_FAILED' | 'STORE_CORRUPT' | 'STORE_LOCKED' | 'STORE_UNREADABLE';
  constructor(code: StoreError['code'], message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
  }
}
