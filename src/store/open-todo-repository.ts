import { createJsonTodoRepository } from './json-todo-repository.js';
import { isPostgresUrl, looksLikeUrl, redactConnectionString } from './postgres-connection.js';
import type { PostgresTodoRepositoryOptions } from './postgres-todo-repository.js';
import type { TodoRepository } from './todo-repository.js';

export interface OpenTodoRepositoryOptions {
  /**
   * The `--store` value: `postgres://…` or `postgresql://…` opens PostgreSQL; a file path opens the JSON
   * store in that file. Default (undefined): the JSON store in `dataFile`.
   */
  store?: string;
  /** The JSON data file used when `store` is undefined. Required. */
  dataFile: string;
  /** PostgreSQL settings besides the connection string (pool size, timeouts, logger). Default: that store's defaults. */
  postgres?: Omit<PostgresTodoRepositoryOptions, 'connectionString'>;
}

/** An open store and how to name it to a person. */
export interface OpenedTodoRepository {
  readonly todos: TodoRepository;
  readonly kind: 'json' | 'postgres';
  /** The data file's absolute path, or the connection string with its password masked. */
  readonly location: string;
}

/**
 * Opens the todo store `--store` names: PostgreSQL for a postgres:// URL (shareable by several replicas),
 * else the single-process lowdb JSON file. Other URL schemes are refused rather than taken for file names.
 */
export async function openTodoRepository(options: OpenTodoRepositoryOptions): Promise<OpenedTodoRepository> {
  const { store } = options;
  if (store !== undefined && isPostgresUrl(store)) {
    // Loaded only when asked for: the pg driver costs ~100 ms of start-up that JSON-store users never need.
    const { createPostgresTodoRepository } = await import('./postgres-todo-repository.js');
    const todos = await createPostgresTodoRepository({ ...options.postgres, connectionString: store });
    return { todos, kind: 'postgres', location: todos.location };
  }
  if (store !== undefined && looksLikeUrl(store)) {
    throw new TypeError(`store must be a postgres:// URL or a file path, got ${JSON.stringify(redactConnectionString(store))}`);
  }
  if (store === '') throw new TypeError('store must not be empty');
  const todos = await createJsonTodoRepository({ file: store ?? options.dataFile });
  return { todos, kind: 'json', location: todos.file };
}
