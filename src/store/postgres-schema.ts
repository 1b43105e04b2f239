import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { StoreError } from './todo-repository.js';

/**
 * The schema, as migrations: entry i takes the database from version i to i + 1. A released entry is never
 * edited; a change is a new entry appended at the end. Each runs in the same transaction as the version
 * row that records it, so a failed migration leaves nothing behind.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the todos. `seq` orders todos created in the same millisecond; the indexes serve list (all, or one
  // owner's, oldest first) and ownership-filtered deletes by primary key.
  `CREATE TABLE todos (
     id uuid PRIMARY KEY,
     seq bigint GENERATED ALWAYS AS IDENTITY,
     owner_id text NOT NULL CHECK (owner_id <> ''),
     content text NOT NULL,
     created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
   );
   CREATE INDEX todos_owner_created ON todos (owner_id, created_at, seq);
   CREATE INDEX todos_created ON todos (created_at, seq);`,
  // 2: pages in (created_at, id) order, read by keyset (see PagePosition): one index per way of listing.
  // The old indexes go (a write would keep five indexes up to date otherwise); `seq` stays, so that a
  // replica still running version 1 code keeps working until it is replaced. The secret signs page
  // cursors, so that any replica accepts a cursor another one issued.
  `DROP INDEX todos_owner_created;
   DROP INDEX todos_created;
   CREATE INDEX todos_owner_page ON todos (owner_id, created_at, id);
   CREATE INDEX todos_page ON todos (created_at, id);
   CREATE TABLE todo_mcp_secrets (name text PRIMARY KEY, value bytea NOT NULL CHECK (length(value) >= 32));`,
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Names the transaction-scoped advisory lock every replica takes to migrate: ASCII "todomcp". */
const MIGRATION_LOCK_KEY = '32773574455288688';

export interface MigrationResult {
  /** The version found (0: an empty database). */
  readonly from: number;
  readonly to: number;
}

/** The migration's outcome plus what every replica must share: the page-cursor secret. */
export interface SchemaState extends MigrationResult {
  readonly cursorSecret: Uint8Array;
}

/**
 * Brings the schema to SCHEMA_VERSION under an advisory lock, so replicas starting together migrate once
 * and the others wait, then see the result. Refuses a database migrated by a newer todo-mcp: this code
 * would not know what the newer schema means.
 */
export async function migrateSchema(pool: Pool, options: { lockTimeoutMs: number }): Promise<SchemaState> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // lock_timeout bounds the wait for a replica stuck while migrating; SET takes no parameters.
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(options.lockTimeoutMs))}`);
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS todo_mcp_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0)::integer AS version FROM todo_mcp_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > SCHEMA_VERSION) {
      throw new StoreError(
        'store_unreadable',
        `The PostgreSQL todo store has schema version ${from}, newer than this todo-mcp understands (${SCHEMA_VERSION}). ` +
          'Upgrade todo-mcp on every replica; nothing was changed.',
      );
    }
    for (let version = from; version < SCHEMA_VERSION; version += 1) {
      await client.query(MIGRATIONS[version]!);
      await client.query('INSERT INTO todo_mcp_migrations (version) VALUES ($1)', [version + 1]);
    }
    // Made once, by whichever replica migrates first; the others read it under the same lock.
    await client.query("INSERT INTO todo_mcp_secrets (name, value) VALUES ('cursor', $1) ON CONFLICT (name) DO NOTHING", [randomBytes(32)]);
    const secret = await client.query<{ value: Buffer }>("SELECT value FROM todo_mcp_secrets WHERE name = 'cursor'");
    await client.query('COMMIT');
    return { from, to: SCHEMA_VERSION, cursorSecret: new Uint8Array(secret.rows[0]!.value) };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
    client.release(broken);
  }
}
