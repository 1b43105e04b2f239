import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { acquireFileLock } from '../fs/file-lock.js';
import { createGroupCommit } from '../fs/group-commit.js';
import { ensurePrivateDir } from '../fs/private-mode.js';
import { createDurableJsonFile, type DurableWrite } from './durable-json-file.js';
import { checkPageQuery } from './page-query.js';
import { lockFailed, writeFailed } from './fs-failure.js';
import { createTodoTable, decodeTodoTable, type TodoTable } from './todo-table.js';
import { freezeTodo, requireText } from './todo-shape.js';
import type { Todo, TodoRepository } from './todo-repository.js';

/** One durable commit, for diagnostics and tests. */
export interface CommitInfo extends DurableWrite {
  /** How many create/delete calls this one write made durable. */
  readonly operations: number;
}

export interface JsonTodoRepositoryOptions {
  /** Path of the JSON data file `{ "todos": [...] }`; it and its parent directories are created when missing. Required. */
  file: string;
  /** Once the data file is this many bytes, commits append to `<file>.journal` instead of rewriting the file. Default 64 KiB. */
  journalAfterBytes?: number;
  /** The journal is folded into the data file once it holds this fraction of the file's size. Default 0.5. */
  journalRatio?: number;
  /** Called after each durable commit (a group of calls written at once). Default: none. */
  onCommit?: (commit: CommitInfo) => void;
}

/** The repository plus what a server may want to show about it. */
export interface JsonTodoRepository extends TodoRepository {
  /** Absolute path of the data file. */
  readonly file: string;
}

type Operation =
  | { readonly kind: 'create'; readonly todo: Todo }
  | { readonly kind: 'delete'; readonly id: string; readonly ownerId: string | undefined };

/**
 * Opens the todo store in `options.file` (lowdb over a durable JSON file) and takes its single-writer lock.
 * Fails with StoreError store_locked, store_unreadable or store_corrupt; a corrupt file is never replaced.
 */
export async function createJsonTodoRepository(options: JsonTodoRepositoryOptions): Promise<JsonTodoRepository> {
  const file = resolve(requireText(options.file, 'file', false));
  try {
    await ensurePrivateDir(dirname(file));
  } catch (error) {
    throw writeFailed(file, error);
  }
  // A server holds its data file for as long as it runs: no waiting, and no takeover while it lives.
  const lock = await acquireFileLock({ path: `${file}.lock` }).catch((error: unknown) => {
    throw lockFailed(file, error);
  });
  let lastWrite: DurableWrite | undefined;
  const adapter = createDurableJsonFile<TodoTable>({
    file,
    decode: decodeTodoTable,
    replay: (table, change) => table.replay(change),
    journalAfterBytes: options.journalAfterBytes,
    journalRatio: options.journalRatio,
    onWrite: (write) => (lastWrite = write),
  });
  const db = new Low<TodoTable>(adapter, createTodoTable());
  try {
    await db.read();
  } catch (error) {
    await adapter.close().catch(() => undefined);
    await lock.release().catch(() => undefined);
    throw error;
  }

  /** Decides each delete against the data on disk, writes the batch once, then makes it visible. */
  async function commit(batch: readonly Operation[]): Promise<Array<Todo | undefined>> {
    const table = db.data;
    const created: Todo[] = [];
    const deleted = new Set<string>();
    const results = batch.map((operation) => {
      if (operation.kind === 'create') {
        created.push(operation.todo);
        return operation.todo;
      }
      const todo = table.get(operation.id);
      // Someone else's todo answers exactly like a missing one, so ids reveal nothing.
      if (todo === undefined || deleted.has(todo.id)) return undefined;
      if (operation.ownerId !== undefined && todo.ownerId !== operation.ownerId) return undefined;
      deleted.add(todo.id);
      return todo;
    });
    if (created.length === 0 && deleted.size === 0) return results;
    table.stage(created, [...deleted]);
    lastWrite = undefined;
    try {
      await db.write();
    } catch (error) {
      table.discardStaged();
      throw writeFailed(file, error);
    }
    table.commitStaged();
    // Set by the adapter during the write (TypeScript cannot see through the callback).
    const written = lastWrite as DurableWrite | undefined;
    if (written !== undefined) options.onCommit?.({ ...written, operations: batch.length });
    return results;
  }

  const writes = createGroupCommit<Operation, Todo | undefined>(commit);
  let closing: Promise<void> | undefined;

  function ensureOpen(): void {
    if (closing !== undefined) throw new Error(`The todo store ${file} is closed`);
  }

  return {
    file,
    // One process serves this file (it holds the lock), so a secret of its own is enough; cursors issued
    // before a restart are refused, and the client starts again from the first page.
    cursorSecret: randomBytes(32),
    async create(input) {
      ensureOpen();
      const content = requireText(input?.content, 'content', true);
      const ownerId = requireText(input?.ownerId, 'ownerId', false);
      const todo = freezeTodo({ id: randomUUID(), content, ownerId, createdAt: new Date().toISOString() });
      return (await writes.submit({ kind: 'create', todo })) as Todo;
    },
    async list(filter) {
      ensureOpen();
      return db.data.list(filter?.ownerId);
    },
    async page(query) {
      ensureOpen();
      const { ownerId, limit, after } = checkPageQuery(query);
      return db.data.page(ownerId, limit, after);
    },
    async delete(id, filter) {
      ensureOpen();
      if (typeof id !== 'string' || id === '') return undefined;
      return writes.submit({ kind: 'delete', id, ownerId: filter?.ownerId });
    },
    close() {
      closing ??= (async () => {
        try {
          await writes.idle();
          // Fold the journal in, so that the data file alone holds everything once the server stops. If
          // that fails nothing is lost: the journal is still there and is replayed on the next start.
          await adapter.compact(db.data).catch(() => undefined);
        } finally {
          await adapter.close().catch(() => undefined);
          await lock.release().catch(() => undefined);
        }
      })();
      return closing;
    },
  };
}
