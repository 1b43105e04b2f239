import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

/** A todo as stored in the data file. */
export interface StoredTodo {
  id: string;
  content: string;
  ownerId: string;
  createdAt: string;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The todos the store's files hold, read the way a person with a text editor would: `todos.json` must be
 * valid JSON, and each complete line of `todos.json.journal` (if any) a valid change. Throws with the file
 * name when anything does not parse. A trailing line without newline is an append cut short: ignored.
 */
export async function readStoredTodos(file: string): Promise<Map<string, StoredTodo>> {
  const todos = new Map<string, StoredTodo>();
  const text = await readOptional(file);
  if (text !== undefined) {
    let parsed: { todos: StoredTodo[] };
    try {
      parsed = JSON.parse(text) as { todos: StoredTodo[] };
    } catch (error) {
      throw new Error(`${file} is not valid JSON after the crash: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed.todos)) throw new Error(`${file} has no todos array`);
    for (const todo of parsed.todos) todos.set(todo.id, todo);
  }
  const journal = await readOptional(`${file}.journal`);
  if (journal !== undefined) {
    const lines = journal.split('\n');
    lines.pop(); // the part after the last newline: empty, or a torn append
    for (const [index, line] of lines.entries()) {
      let change: { create?: StoredTodo[]; delete?: string[] };
      try {
        change = JSON.parse(line) as typeof change;
      } catch (error) {
        throw new Error(`${file}.journal line ${index + 1} is not valid JSON: ${(error as Error).message}`);
      }
      for (const todo of change.create ?? []) todos.set(todo.id, todo);
      for (const id of change.delete ?? []) todos.delete(id);
    }
  }
  return todos;
}

/** Parses a JSON file (throws naming it when it does not parse); undefined when it does not exist. */
export async function readJsonStrict(path: string): Promise<unknown> {
  const text = await readOptional(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Writes a valid data file of `count` todos of about `contentBytes` each (to start a store past its journal threshold). */
export async function seedTodos(file: string, count: number, contentBytes: number, ownerId = 'seed'): Promise<StoredTodo[]> {
  const todos = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    content: `seed ${i} ${'s'.repeat(contentBytes)}`,
    ownerId,
    createdAt: new Date().toISOString(),
  }));
  await writeFile(file, JSON.stringify({ todos }));
  return todos;
}
