import { createJsonTodoRepository } from './json-todo-repository.js';
import { isPostgresUrl, looksLikeUrl, redactConnectionString } from './postgres-connection.js';
import { createPostgresTodoRepository } from './postgres-todo-repository.js';
/**
 * Opens the todo store `--store` names: PostgreSQL for a postgres:// URL (shareable by several replicas),
 * else the single-process lowdb JSON file. Other URL schemes are refused rather than taken for file names.
 */
export async function openTodoRepository(options) {
    const { store } = options;
    if (store !== undefined && isPostgresUrl(store)) {
        const todos = await createPostgresTodoRepository({ ...options.postgres, connectionString: store });
        return { todos, kind: 'postgres', location: todos.location };
    }
    if (store !== undefined && looksLikeUrl(store)) {
        throw new TypeError(`store must be a postgres:// URL or a file path, got ${JSON.stringify(redactConnectionString(store))}`);
    }
    if (store === '')
        throw new TypeError('store must not be empty');
    const todos = await createJsonTodoRepository({ file: store ?? options.dataFile });
    return { todos, kind: 'json', location: todos.file };
}
//# sourceMappingURL=open-todo-repository.js.map