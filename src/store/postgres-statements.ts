import { freezeTodo } from './todo-shape.js';
import type { Todo } from './todo-repository.js';

/**
 * Every statement the PostgreSQL todo store runs once the schema is in place, each a named prepared
 * statement: a connection parses and plans it on first use and then only binds and executes it, which
 * saves the server ~a third of its work per call (measured: see README, Performance). A name is bound to
 * its text on each connection for the connection's life, so a changed text needs a new name (the suffix).
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** A row as every statement returns it. */
export interface TodoRow {
  id: string;
  owner_id: string;
  content: string;
  created_at: Date;
}

export function toTodo(row: TodoRow): Todo {
  return freezeTodo({ id: row.id, content: row.content, ownerId: row.owner_id, createdAt: row.created_at.toISOString() });
}

/** A row of a batched page read: a TodoRow and the number of the query it answers (a bigint, so a string). */
export interface NumberedTodoRow extends TodoRow {
  query: string;
}

/** The columns every statement returns, in TodoRow's shape. */
const COLUMNS = 'id, owner_id, content, created_at';
// The page order (see PagePosition), served by the indexes on (owner_id, created_at, id) and (created_at, id).
const ORDER = 'ORDER BY created_at, id';

function statement(name: string, text: string): Statement {
  return Object.freeze({ name: `todo_mcp_${name}_1`, text });
}

export const STATEMENTS = {
  /**
   * Any number of todos in one statement, hence one transaction and one WAL flush: concurrent creates
   * share it (see the store's group commit). The arrays are parallel: ids, owners, contents.
   */
  insert: statement('insert', `INSERT INTO todos (id, owner_id, content) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) RETURNING ${COLUMNS}`),
  listAll: statement('list_all', `SELECT ${COLUMNS} FROM todos ${ORDER}`),
  listOwned: statement('list_owned', `SELECT ${COLUMNS} FROM todos WHERE owner_id = $1 ${ORDER}`),
  // Keyset pagination: a row comparison the index answers directly. The caller asks for one row more than
  // the page, to learn whether another page follows.
  pageAll: statement('page_all', `SELECT ${COLUMNS} FROM todos ${ORDER} LIMIT $1`),
  pageAllAfter: statement('page_all_after', `SELECT ${COLUMNS} FROM todos WHERE (created_at, id) > ($1::timestamptz, $2::uuid) ${ORDER} LIMIT $3`),
  pageOwned: statement('page_owned', `SELECT ${COLUMNS} FROM todos WHERE owner_id = $1 ${ORDER} LIMIT $2`),
  pageOwnedAfter: statement('page_owned_after', `SELECT ${COLUMNS} FROM todos WHERE owner_id = $1 AND (created_at, id) > ($2::timestamptz, $3::uuid) ${ORDER} LIMIT $4`),
  /**
   * Many page queries in one statement: parallel arrays of owner (null: everyone's), position and row count;
   * each row carries `query`, the 1-based number of the query it answers. One of the two branches runs per
   * query (the other's condition is false before any row is read), each an index range scan as above.
   */
  pageMany: statement(
    'page_many',
    `SELECT q.query, t.id, t.owner_id, t.content, t.created_at
     FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::int[]) WITH ORDINALITY AS q(owner, after_at, after_id, lim, query)
     CROSS JOIN LATERAL (
       (SELECT ${COLUMNS} FROM todos WHERE q.owner IS NULL AND (created_at, id) > (q.after_at, q.after_id) ${ORDER} LIMIT q.lim)
       UNION ALL
       (SELECT ${COLUMNS} FROM todos WHERE owner_id = q.owner AND (created_at, id) > (q.after_at, q.after_id) ${ORDER} LIMIT q.lim)
     ) t
     ORDER BY q.query, t.created_at, t.id`,
  ),
  deleteAny: statement('delete_any', `DELETE FROM todos WHERE id = $1 RETURNING ${COLUMNS}`),
  deleteOwned: statement('delete_owned', `DELETE FROM todos WHERE id = $1 AND owner_id = $2 RETURNING ${COLUMNS}`),
} as const;
