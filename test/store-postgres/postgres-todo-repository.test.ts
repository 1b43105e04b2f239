import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTodoRepository } from '../../src/store/open-todo-repository.js';
import { createLogger } from '../../src/log/create-logger.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/postgres-schema.js';
import { createPostgresTodoRepository, type PostgresTodoRepository, type PostgresTodoRepositoryOptions } from '../../src/store/postgres-todo-repository.js';
import { StoreError } from '../../src/store/todo-repository.js';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { todoMcpConnections } from '../helpers/todo-mcp-connections.js';
import { todoRepositoryContract } from './todo-repository-contract.js';

const PASSWORD = 'pg-s3cret-passw0rd';

let cluster: PostgresCluster;
const opened: PostgresTodoRepository[] = [];

async function openRepository(options: Partial<PostgresTodoRepositoryOptions> & { connectionString: string }): Promise<PostgresTodoRepository> {
  const repository = await createPostgresTodoRepository(options);
  opened.push(repository);
  return repository;
}

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** `postgres://postgres:<PASSWORD>@…`: trust authentication ignores the password, messages must still hide it. */
function withPassword(url: string): string {
  return url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
}

const databaseOf = (url: string) => new URL(url).pathname.slice(1);

const SHARED_DATABASE = 'todo_store_tests';
let schemas = 0;

/**
 * A fresh, empty schema in the shared test database and a connection string that makes it the search
 * path (`?options=-c search_path=…`, as a deployment sharing a database would): much faster than a
 * database per test. `t` qualifies a table name for queries made beside the store.
 */
async function freshSchema(): Promise<{ url: string; t: (table: string) => string }> {
  schemas += 1;
  const schema = `s${schemas}`;
  await cluster.query(`CREATE SCHEMA ${schema}`, [], SHARED_DATABASE);
  return { url: `${cluster.url(SHARED_DATABASE)}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, t: (table) => `${schema}.${table}` };
}

const query = <R extends Record<string, unknown>>(sql: string, values: unknown[] = []) => cluster.query<R>(sql, values, SHARED_DATABASE);

describe.skipIf(!POSTGRES.available)(`PostgreSQL todo store${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.createDatabase(SHARED_DATABASE);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((repository) => repository.close()));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  describe('TodoRepository contract', () => {
    todoRepositoryContract(() => ({
      shared: true,
      async fresh() {
        const { url } = await freshSchema();
        return { open: () => createPostgresTodoRepository({ connectionString: url, poolSize: 4 }) };
      },
    }));
  });

  describe('schema', () => {
    it('is created once when three replicas start at the same moment on an empty database', async () => {
      const url = await cluster.createDatabase();
      const replicas = await Promise.all([1, 2, 3].map(() => openRepository({ connectionString: url })));
      expect(replicas.map((r) => r.schema.from).sort()).toEqual([0, SCHEMA_VERSION, SCHEMA_VERSION].sort());
      expect(replicas.every((r) => r.schema.to === SCHEMA_VERSION)).toBe(true);
      const versions = await cluster.query<{ version: number }>('SELECT version FROM todo_mcp_migrations ORDER BY version', [], databaseOf(url));
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      // And a later start finds it in place and changes nothing.
      const later = await openRepository({ connectionString: url });
      expect(later.schema).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    });

    it('refuses a database migrated by a newer todo-mcp and leaves it untouched', async () => {
      const { url, t } = await freshSchema();
      await (await openRepository({ connectionString: url })).create({ content: 'kept', ownerId: 'alice' });
      await query(`INSERT INTO ${t('todo_mcp_migrations')} (version) VALUES ($1)`, [SCHEMA_VERSION + 1]);
      const error = await storeError(createPostgresTodoRepository({ connectionString: url }));
      expect(error.code).toBe('store_unreadable');
      expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 1}, newer than this todo-mcp understands (${SCHEMA_VERSION})`);
      expect(await query(`SELECT content FROM ${t('todos')}`)).toEqual([{ content: 'kept' }]);
    });

    it('refuses a database whose todos table is not its own, rolling the whole start back', async () => {
      const { url, t } = await freshSchema();
      await query(`CREATE TABLE ${t('todos')} (title text)`);
      const error = await storeError(createPostgresTodoRepository({ connectionString: withPassword(url) }));
      expect(error.code).toBe('store_unreadable');
      expect(error.message).toContain('relation "todos" already exists');
      expect(error.message).toContain('its own database or schema');
      expect(error.message).not.toContain(PASSWORD);
      expect(await query(`SELECT to_regclass('${t('todo_mcp_migrations')}') AS t`)).toEqual([{ t: null }]);
    });
  });

  describe('failures are StoreErrors that name the server but never the password', () => {
    it('an unreachable server', async () => {
      const url = `postgres://postgres:${PASSWORD}@127.0.0.1:1/todos`;
      const started = Date.now();
      const error = await storeError(createPostgresTodoRepository({ connectionString: url, connectTimeoutMs: 2_000 }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe('store_unreadable');
      expect(error.message).toContain('postgres://postgres:***@127.0.0.1:1/todos');
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).toContain('not reachable');
      expect(error.message).not.toContain(PASSWORD);
      expect(error.cause).toBeUndefined();
      expect(JSON.stringify(error)).not.toContain(PASSWORD);
    });

    it('a database that does not exist', async () => {
      const error = await storeError(openTodoRepository({ store: withPassword(cluster.url('no_such_db')), dataFile: '/nonexistent/todos.json' }));
      expect(error.code).toBe('store_unreadable');
      expect(error.message).toContain('database "no_such_db" does not exist');
      expect(error.message).toContain('createdb');
      expect(error.message).not.toContain(PASSWORD);
    });

    it('a database that stops accepting connections: writes say nothing was saved, reads fail, then it recovers', async () => {
      const url = await cluster.createDatabase();
      const db = databaseOf(url);
      const todos = await openRepository({ connectionString: withPassword(url), poolSize: 2, connectTimeoutMs: 2_000 });
      const kept = await todos.create({ content: 'before', ownerId: 'alice' });
      await cluster.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS false`);
      await cluster.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
      try {
        const write = await storeError(todos.create({ content: 'during', ownerId: 'alice' }));
        expect(write.code).toBe('store_write_failed');
        expect(write.message).toContain('Nothing was saved');
        expect(write.message).not.toContain(PASSWORD);
        const read = await storeError(todos.list());
        expect(read.code).toBe('store_unreadable');
        expect(read.message).toContain('not currently accepting connections');
      } finally {
        await cluster.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS true`);
      }
      expect(await todos.list()).toEqual([kept]);
    });

    it('a statement that waits too long is cancelled and saves nothing', async () => {
      const { url, t } = await freshSchema();
      const todos = await openRepository({ connectionString: url, statementTimeoutMs: 300 });
      // Another session holds the table: the insert waits for it, and the statement timeout ends the wait.
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`LOCK TABLE ${t('todos')} IN ACCESS EXCLUSIVE MODE`);
        const error = await storeError(todos.create({ content: 'late', ownerId: 'alice' }));
        expect(error.code).toBe('store_write_failed');
        expect(error.message).toContain('statement timeout');
        await blocker.query('ROLLBACK');
      } finally {
        await blocker.end();
      }
      expect(await query(`SELECT count(*)::int AS n FROM ${t('todos')}`)).toEqual([{ n: 0 }]);
    });

    it('an idle connection the server drops is reported to the log and replaced, without crashing', async () => {
      const url = await cluster.createDatabase();
      const db = databaseOf(url);
      const lines: string[] = [];
      const logger = createLogger({ sink: { write: (line: string) => lines.push(line) } });
      const todos = await openRepository({ connectionString: withPassword(url), poolSize: 1, logger });
      await todos.create({ content: 'one', ownerId: 'alice' });
      await cluster.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
      for (let i = 0; i < 50 && lines.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).toContain('postgres://postgres:***@127.0.0.1');
      expect(lines.join('\n')).not.toContain(PASSWORD);
      expect((await todos.list()).map((todo) => todo.content)).toEqual(['one']);
    });
  });

  describe('PostgreSQL specifics', () => {
    it('refuses text PostgreSQL would not store exactly (NUL, lone surrogates) before sending it', async () => {
      const { url } = await freshSchema();
      const todos = await openRepository({ connectionString: url });
      await expect(todos.create({ content: 'a\u0000b', ownerId: 'alice' })).rejects.toThrow(/U\+0000/);
      await expect(todos.create({ content: 'half \ud83d', ownerId: 'alice' })).rejects.toThrow(/unpaired surrogate at position 6\)/);
      await expect(todos.create({ content: 'x', ownerId: 'al\u0000ice' })).rejects.toThrow(TypeError);
      expect(await todos.list()).toEqual([]);
    });

    it('matches ids exactly: another spelling of an existing uuid names nothing', async () => {
      const { url } = await freshSchema();
      const todos = await openRepository({ connectionString: url });
      const todo = await todos.create({ content: 'x', ownerId: 'alice' });
      expect(await todos.delete(todo.id.toUpperCase())).toBeUndefined();
      expect(await todos.delete(`{${todo.id}}`)).toBeUndefined();
      expect(await todos.delete(todo.id.replaceAll('-', ''))).toBeUndefined();
      expect(await todos.list()).toEqual([todo]);
    });

    it('keeps to its pool size under load', async () => {
      const url = await cluster.createDatabase();
      const db = databaseOf(url);
      const todos = await openRepository({ connectionString: url, poolSize: 2 });
      let most = 0;
      let done = false;
      const watcher = new pg.Client({ connectionString: cluster.url() });
      await watcher.connect();
      const opened = () => todoMcpConnections(watcher, db);
      const watch = (async () => {
        while (!done) most = Math.max(most, await opened());
      })();
      try {
        // Issued in one turn: the reads share one SELECT and the creates one INSERT, on a connection each.
        await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? todos.create({ content: `${i}`, ownerId: 'alice' }) : todos.page({ limit: 10 }))));
        done = true;
        await watch;
        // Idle connections stay open for a while (pg's idle timeout, 10 s), so a count after the burst still sees
        // one the watcher's polls missed because it was opened and the burst ended between two of them.
        most = Math.max(most, await opened());
      } finally {
        done = true;
        await watch;
        await watcher.end();
      }
      expect(most).toBe(2);
      expect(await todos.list()).toHaveLength(50);
    });

    it('concurrent creates share statements (group commit), each caller gets its own todo, all committed', async () => {
      const { url, t } = await freshSchema();
      const todos = await openRepository({ connectionString: url });
      // A statement-level trigger counts the INSERT statements the store sends.
      await query(`CREATE TABLE ${t('inserts')} (n integer NOT NULL)`);
      await query(`CREATE FUNCTION ${t('count_insert')}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${t('inserts')} VALUES (1); RETURN NULL; END $$`);
      await query(`CREATE TRIGGER count_insert AFTER INSERT ON ${t('todos')} FOR EACH STATEMENT EXECUTE FUNCTION ${t('count_insert')}()`);
      const inputs = Array.from({ length: 60 }, (_, i) => ({ content: `todo ${i} ${'é'.repeat(i % 3)} "quoted" {braced} back\\slash`, ownerId: `user-${i % 7}` }));
      const created = await Promise.all(inputs.map((input) => todos.create(input)));
      created.forEach((todo, i) => expect(todo).toMatchObject(inputs[i]!));
      expect(new Set(created.map((todo) => todo.id)).size).toBe(60);
      const n = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t('inserts')}`))[0]!.n;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(3);
      // What was acknowledged is in the table, as acknowledged.
      const rows = await query<{ id: string; owner_id: string; content: string }>(`SELECT id, owner_id, content FROM ${t('todos')}`);
      expect(new Map(rows.map((r) => [r.id, { content: r.content, ownerId: r.owner_id }]))).toEqual(new Map(created.map((c) => [c.id, { content: c.content, ownerId: c.ownerId }])));
    });

    it('a row the server refuses fails alone, not the creates it was batched with', async () => {
      const { url, t } = await freshSchema();
      const todos = await openRepository({ connectionString: url });
      await query(
        `CREATE FUNCTION ${t('refuse')}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.content = 'refuse me' THEN RAISE check_violation USING MESSAGE = 'refused by a test trigger'; END IF; RETURN NEW; END $$`,
      );
      await query(`CREATE TRIGGER refuse BEFORE INSERT ON ${t('todos')} FOR EACH ROW EXECUTE FUNCTION ${t('refuse')}()`);
      const results = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => todos.create({ content: i === 4 ? 'refuse me' : `fine ${i}`, ownerId: 'alice' })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const refused = (results[4] as PromiseRejectedResult).reason as StoreError;
      expect(refused).toBeInstanceOf(StoreError);
      expect(refused.code).toBe('store_write_failed');
      expect(refused.message).toContain('refused by a test trigger');
      expect((await todos.list()).map((todo) => todo.content).sort()).toEqual(['fine 0', 'fine 1', 'fine 2', 'fine 3', 'fine 5', 'fine 6', 'fine 7', 'fine 8']);
    });

    it('concurrent page reads share statements and each gets exactly the page it would get alone', async () => {
      const url = await cluster.createDatabase();
      const db = databaseOf(url);
      // Every statement of this database's sessions goes to the server log, so the test sees how reads were sent.
      await cluster.query(`ALTER DATABASE "${db}" SET log_statement = 'all'`);
      const todos = await openRepository({ connectionString: url, poolSize: 3 });
      const owners = ['alice', 'bob', 'carol'];
      for (let round = 0; round < 12; round += 1) await Promise.all(owners.map((ownerId) => todos.create({ content: `${ownerId} ${round}`, ownerId })));
      const everything = await todos.list();
      const positions = [undefined, ...[0, 5, 17, 35].map((i) => ({ createdAt: everything[i]!.createdAt, id: everything[i]!.id }))];
      const queries = [undefined, ...owners, 'nobody'].flatMap((ownerId) => positions.flatMap((after) => [1, 4, 100].map((limit) => ({ ownerId, after, limit }))));
      const alone = [];
      for (const query of queries) alone.push(await todos.page(query));
      expect(alone.some((page) => page.todos.length > 1 && page.next !== undefined)).toBe(true);
      const together = await Promise.all(queries.map((query) => todos.page(query)));
      expect(together).toEqual(alone);
      for (const [i, page] of together.entries()) {
        if (queries[i]!.ownerId !== undefined) expect(page.todos.every((todo) => todo.ownerId === queries[i]!.ownerId)).toBe(true);
      }
      await vi.waitFor(async () => expect(await cluster.log()).toMatch(/execute todo_mcp_page_many_\d+/));
      const batched = (await cluster.log()).match(/execute todo_mcp_page_many_\d+/g)!.length;
      expect(batched).toBeLessThan(queries.length / 4);
    });

    it('close() lets creates already accepted commit, then refuses new ones', async () => {
      const { url, t } = await freshSchema();
      const todos = await createPostgresTodoRepository({ connectionString: url });
      const pending = Array.from({ length: 20 }, (_, i) => todos.create({ content: `late ${i}`, ownerId: 'alice' }));
      const closed = todos.close();
      await expect(todos.create({ content: 'after close', ownerId: 'alice' })).rejects.toThrow(/closed/);
      expect(await Promise.all(pending)).toHaveLength(20);
      await closed;
      expect(await query(`SELECT count(*)::int AS n FROM ${t('todos')}`)).toEqual([{ n: 20 }]);
    });

    it('reports where it is with the password masked', async () => {
      const { url } = await freshSchema();
      const opened = await openTodoRepository({ store: withPassword(url), dataFile: '/nonexistent/todos.json' });
      try {
        expect(opened.kind).toBe('postgres');
        expect(opened.location).toBe(url.replace('postgres://postgres@', 'postgres://postgres:***@'));
        expect(opened.location).toContain('search_path');
      } finally {
        await opened.todos.close();
      }
    });
  });
});
