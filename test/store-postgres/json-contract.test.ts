import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createJsonTodoRepository } from '../../src/store/json-todo-repository.js';
import { todoRepositoryContract } from './todo-repository-contract.js';

// The same contract the PostgreSQL store meets, run against the JSON file store: the two stay interchangeable.
describe('TodoRepository contract: JSON file store', () => {
  todoRepositoryContract(() => ({
    shared: false,
    async fresh() {
      const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-contract-'));
      const file = join(dir, 'todos.json');
      return { open: () => createJsonTodoRepository({ file }), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  }));
});
