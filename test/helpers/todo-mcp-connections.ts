import type pg from 'pg';

/**
 * How many connections todo-mcp (its `application_name`) holds to `database` right now, or with
 * `waitingOnLock` only those whose statement waits for a lock. Asked through `client`, a connection the
 * caller keeps open for repeated polls (cluster.query would open one per call).
 */
export async function todoMcpConnections(client: pg.Client, database: string, { waitingOnLock = false } = {}): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'todo-mcp'${waitingOnLock ? " AND wait_event_type = 'Lock'" : ''}`,
    [database],
  );
  return rows[0]!.n;
}
