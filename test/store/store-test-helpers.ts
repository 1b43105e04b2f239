import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Todo } from '../../src/store/todo-repository.js';

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export async function makeTempDir(prefix = 'todo-store-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The todos in the data file, parsed here rather than through the store. */
export async function readTodosFile(file: string): Promise<Todo[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { todos: Todo[] };
  if (!Array.isArray(parsed.todos)) throw new Error(`${file} has no todos array`);
  return parsed.todos;
}

/** `count` valid todos, as a data file would hold them. */
export function makeTodos(count: number, ownerOf: (index: number) => string = (i) => `user-${i % 10}`): Todo[] {
  const createdAt = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({ id: randomUUID(), content: `stored todo ${i}`, ownerId: ownerOf(i), createdAt }));
}

export async function writeTodosFile(file: string, todos: readonly Todo[]): Promise<void> {
  await writeFile(file, JSON.stringify({ todos }));
}

/** Todos in the order every store lists them: createdAt, then id (creates in one millisecond tie on time). */
export function inPageOrder(todos: ReadonlyArray<Todo | undefined>): Todo[] {
  return (todos as Todo[]).slice().sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
