/** Whether this machine can run a throwaway cluster, and if not why. */
export type PostgresAvailability = { available: true; binDir: string; runAs: string | undefined } | { available: false; reason: string };

/**
 * Found once at import: TODO_MCP_TEST_PG_BINDIR, else the highest /usr/lib/postgresql/<n>/bin, else PATH, with initdb and
 * pg_ctl. TODO_MCP_TEST_PG_BINDIR=none makes the PostgreSQL tests skip.
 */
export const POSTGRES: PostgresAvailability;

export interface PostgresCluster {
  readonly port: number;
  /** The cluster's temp dir (data, socket, server.log). */
  readonly dir: string;
  /** Connection string for `database` (default `postgres`) as the superuser `postgres`, over TCP. */
  url(database?: string): string;
  /** Creates an empty database (a fresh name unless given) and returns its connection string. */
  createDatabase(name?: string): Promise<string>;
  /** Runs one statement as the superuser in `database` (default `postgres`) and returns the rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values?: unknown[], database?: string): Promise<R[]>;
  /** The postmaster's process id (its backends are its children). */
  postmasterPid(): Promise<number>;
  /** The server's log so far (for failure messages). */
  log(): Promise<string>;
  /** Stops the server at once (`-m immediate`) and deletes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPostgresClusterOptions {
  /** fsync on commit, as in production. Default false: tests do not survive OS crashes anyway, and it is faster. */
  fsync?: boolean;
  /** The server's max_connections. Default 200. */
  maxConnections?: number;
  /** Bound on initdb and on the start. Default 60000 ms. */
  timeoutMs?: number;
}

/** Starts a fresh cluster; throws when PostgreSQL is not available (check {@link POSTGRES} first). */
export function startPostgresCluster(options?: StartPostgresClusterOptions): Promise<PostgresCluster>;
