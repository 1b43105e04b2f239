import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { connectionSecrets, isPostgresUrl, redactConnectionString } from './postgres-connection.js';
import { connectionIsSuspect, postgresStoreError, refusedData, type PostgresAction } from './postgres-errors.js';
import { DEFAULTS } from '../config/defaults.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { checkPageQuery } from './page-query.js';
import { migrateSchema, type MigrationResult, type SchemaState } from './postgres-schema.js';
import { createBatchedPageReads } from './postgres-page-reads.js';
import { STATEMENTS, toTodo, type Statement, type TodoRow } from './postgres-statements.js';
import { requireText } from './todo-shape.js';
import { createGroupCommit } from '../fs/group-commit.js';
import { unpairedSurrogate } from './well-formed-text.js';
import { StoreError, type Todo, type TodoRepository } from './todo-repository.js';

export interface PostgresTodoRepositoryOptions {
  /** `postgres://user:password@host:port/database` (`postgresql://` too; libpq parameters such as `sslmode` as the pg driver reads them). Required. */
  connectionString: string;
  /**
   * Most connections this process keeps to PostgreSQL. A tool call holds one for a single statement only, so
   * a few serve many concurrent calls; all replicas together must stay below the server's max_connections
   * (100 by default), e.g. 3 replicas × 10 = 30. Default DEFAULTS.pgPoolSize (10).
   */
  poolSize?: number;
  /** How long a call waits for a free connection, or for a new one to open, before it fails. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Longest one statement may run before the server cancels it. Default 10000 ms. */
  statementTimeoutMs?: number;
  /** Longest wait at start-up while another replica migrates the schema. Default 30000 ms. */
  migrationLockTimeoutMs?: number;
  /** Where problems noticed outside any call go (an idle connection dropped by the server). Default: nowhere. */
  logger?: Logger;
}

/** The repository plus what a server may want to show about it. */
export interface PostgresTodoRepository extends TodoRepository {
  /** The connection string with the password masked: safe to print. */
  readonly location: string;
  /** The schema version found at start-up and the one now in place. */
  readonly schema: MigrationResult;
}

// Ids this store hands out: canonical lowercase UUIDs. Anything else cannot name a todo, and asking the
// server to cast it would only produce an error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A string PostgreSQL text stores exactly as given: no NUL (refused by the server), no lone surrogate (silently replaced by U+FFFD on the way). */
function requireStorableText(value: unknown, name: string, allowEmpty: boolean): string {
  const text = requireText(value, name, allowEmpty);
  if (text.includes('\u0000')) throw new TypeError(`${name} must not contain U+0000: PostgreSQL text cannot hold it`);
  const lone = unpairedSurrogate(text);
  if (lone) throw new TypeError(`${name} must be well-formed Unicode (it has an unpaired surrogate at position ${lone.index + 1})`);
  return text;
}

function requireCount(value: number | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

interface NewTodo {
  readonly id: string;
  readonly ownerId: string;
  readonly content: string;
}

/**
 * Opens the todo store in PostgreSQL: a connection pool, then the schema created or migrated under an
 * advisory lock (replicas may start together). Every call is answered by one prepared statement, hence
 * one short transaction committed before its promise resolves, with ownership decided in SQL; calls that
 * come together share it: creates made while another is being committed go into the next INSERT (group
 * commit, as the JSON store does), page reads of one event-loop turn into one SELECT. Fails with
 * StoreError store_unreadable (server unreachable, login refused, schema newer than this code); no
 * message carries the password.
 */
export async function createPostgresTodoRepository(options: PostgresTodoRepositoryOptions): Promise<PostgresTodoRepository> {
  const { connectionString } = options;
  if (typeof connectionString !== 'string' || !isPostgresUrl(connectionString)) {
    throw new TypeError('connectionString must be a postgres:// or postgresql:// URL');
  }
  const where = redactConnectionString(connectionString);
  const secrets = connectionSecrets(connectionString);
  const logger = options.logger ?? silentLogger;
  const poolSize = requireCount(options.poolSize, 'poolSize', DEFAULTS.pgPoolSize, 1, DEFAULTS.pgPoolSizeMax);
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: requireCount(options.connectTimeoutMs, 'connectTimeoutMs', 5_000, 1, 600_000),
    statement_timeout: requireCount(options.statementTimeoutMs, 'statementTimeoutMs', 10_000, 1, 3_600_000),
    // Only the start-up migration opens an explicit transaction; never let one linger holding locks.
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'todo-mcp',
    keepAlive: true,
  });
  // Without a listener, an idle connection dropped by the server (restart, failover) would crash the process.
  pool.on('error', (error) =>
    logger.warn({ store: where, reason: postgresStoreError(error, { action: 'read', where, secrets }).message }, 'an idle PostgreSQL connection failed; it will be replaced'),
  );

  let schema: SchemaState;
  try {
    schema = await migrateSchema(pool, { lockTimeoutMs: requireCount(options.migrationLockTimeoutMs, 'migrationLockTimeoutMs', 30_000, 1, 3_600_000) });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresStoreError(error, { action: 'open', where, secrets });
  }

  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;
  // The StoreErrors made from a refusal of the data sent (SQLSTATE classes 22 and 23): the statement failed, the connection is fine.
  const refusals = new WeakSet<StoreError>();

  /** Runs one statement on a pooled connection (one round trip: bind and execute, or parse too the first time on that connection). */
  async function execute(action: PostgresAction, statement: Statement, values: unknown[]): Promise<TodoRow[]> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw postgresStoreError(error, { action, where, secrets, sent: false });
    }
    try {
      const result = await client.query<TodoRow>({ name: statement.name, text: statement.text, values });
      client.release();
      return result.rows;
    } catch (error) {
      client.release(connectionIsSuspect(error) ? (error as Error) : undefined);
      const failure = postgresStoreError(error, { action, where, secrets });
      if (refusedData(error)) refusals.add(failure);
      throw failure;
    }
  }

  /** Tracks a call so that close() lets it finish first; refuses new calls once closing. */
  function track<T>(call: () => Promise<T>): Promise<T> {
    if (closing !== undefined) return Promise.reject(new Error(`The todo store ${where} is closed`));
    const promise = call();
    inFlight.add(promise);
    void promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  }

  const run = (action: PostgresAction, statement: Statement, values: unknown[]) => track(() => execute(action, statement, values));

  /** Inserts a batch in one statement; the rows come back matched by id (RETURNING promises no order). */
  async function insert(batch: readonly NewTodo[]): Promise<Todo[]> {
    const rows = await execute('write', STATEMENTS.insert, [batch.map((t) => t.id), batch.map((t) => t.ownerId), batch.map((t) => t.content)]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return batch.map((t) => toTodo(byId.get(t.id)!));
  }

  // One batch in flight at a time: N concurrent creates cost one statement and one WAL flush, not N, and
  // leave the other pooled connections to reads.
  const creates = createGroupCommit<NewTodo, Todo | Error>(async (batch) => {
    try {
      return await insert(batch);
    } catch (error) {
      // A row the server refused (none should pass the checks above) fails alone, not its whole batch.
      if (batch.length === 1 || !(error instanceof StoreError && refusals.has(error))) throw error;
      return Promise.all(batch.map((todo) => insert([todo]).then((rows) => rows[0]!, (failure: unknown) => failure as Error)));
    }
  });

  // Reads share statements when they come together (see postgres-page-reads.ts), on every connection but
  // the one the creates use.
  const readPage = createBatchedPageReads({ execute: (statement, values) => execute('read', statement, values), concurrency: Math.max(1, poolSize - 1) });

  return {
    location: where,
    schema: { from: schema.from, to: schema.to },
    cursorSecret: schema.cursorSecret,
    async create(input) {
      const content = requireStorableText(input?.content, 'content', true);
      const ownerId = requireStorableText(input?.ownerId, 'ownerId', false);
      // The id is made here (random, 122 bits) so that it is known even if the answer is lost.
      const created = await track(() => creates.submit({ id: randomUUID(), ownerId, content }));
      if (created instanceof Error) throw created;
      return created;
    },
    async list(filter) {
      const ownerId = filter?.ownerId;
      const rows = ownerId === undefined ? await run('read', STATEMENTS.listAll, []) : await run('read', STATEMENTS.listOwned, [ownerId]);
      return rows.map(toTodo);
    },
    async page(query) {
      const { ownerId, limit, after } = checkPageQuery(query);
      // The ids this store issues are UUIDs, so a position with anything else was not made from one of them.
      if (after !== undefined && !UUID.test(after.id)) throw new TypeError('after.id must be a todo id of this store (a UUID)');
      // One row more than the page, to learn whether another page follows.
      const rows = await track(() => readPage({ ownerId, after, limit: limit + 1 }));
      const todos = rows.slice(0, limit).map(toTodo);
      const last = todos[todos.length - 1];
      return { todos, next: rows.length > limit && last !== undefined ? { createdAt: last.createdAt, id: last.id } : undefined };
    },
    async delete(id, filter) {
      if (closing !== undefined) throw new Error(`The todo store ${where} is closed`);
      if (typeof id !== 'string' || !UUID.test(id)) return undefined;
      const ownerId = filter?.ownerId;
      // Someone else's todo matches no row, exactly like a missing one, so ids reveal nothing.
      const rows = ownerId === undefined ? await run('write', STATEMENTS.deleteAny, [id]) : await run('write', STATEMENTS.deleteOwned, [id, ownerId]);
      return rows[0] === undefined ? undefined : toTodo(rows[0]);
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await creates.idle();
        await pool.end().catch(() => undefined);
      })();
      return closing;
    },
  };
}
