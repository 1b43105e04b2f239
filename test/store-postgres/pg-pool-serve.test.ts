import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { startCli, type CliProcess } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { postToolCall } from '../scale/mcp-post.js';

/**
 * `todo-mcp serve --store postgres://… --pg-pool N` as a user starts it: under a burst of concurrent calls the
 * server opens exactly N connections (the pool fills up, and no further), whichever layer N came from.
 */

const RESOURCE = 'http://localhost:3001';
const READY = /MCP endpoint\s+(http:\/\/localhost:\d+\/mcp)/;

let cluster: PostgresCluster;
let issuer: TestIssuer;

/** Starts serve with `args`, sends a burst of get-todos and create-todo calls, and returns the most connections seen. */
async function connectionsUnderBurst(args: string[], env: Record<string, string> = {}): Promise<number> {
  const url = await cluster.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const serve: CliProcess & { match: RegExpMatchArray } = await startCli(
    ['serve', '--stateless', '--store', url, '--port', '0', '--issuer', issuer.issuer, '--resource', RESOURCE, '--log-level', 'warn', ...args],
    READY,
    { timeoutMs: 45_000, env },
  );
  const watcher = new pg.Client({ connectionString: cluster.url() });
  await watcher.connect();
  try {
    const token = await issuer.sign({ aud: RESOURCE, sub: 'alice', scope: 'create:todos read:todos' });
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 4 === 0 ? postToolCall(serve.match[1]!, token, 'create-todo', { content: `burst ${i}` }, { id: i }) : postToolCall(serve.match[1]!, token, 'get-todos', {}, { id: i }),
    );
    let most = 0;
    let done = false;
    const settled = Promise.all(calls).finally(() => (done = true));
    while (!done) {
      const { rows } = await watcher.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'todo-mcp'", [database]);
      most = Math.max(most, rows[0]!.n);
    }
    const answers = await settled;
    expect(answers.filter((a) => !a.answered || a.isError)).toEqual([]);
    // Idle connections stay open for a while, so a count after the burst still sees every one opened.
    const { rows } = await watcher.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'todo-mcp'", [database]);
    return Math.max(most, rows[0]!.n);
  } finally {
    await watcher.end();
    await serve.stop('SIGTERM');
  }
}

describe.skipIf(!POSTGRES.available)(`serve --pg-pool${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, { timeout: 90_000 }, () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    issuer = await startTestIssuer({ audience: RESOURCE });
  }, 60_000);
  afterAll(async () => {
    await issuer?.close();
    await cluster?.stop();
  });

  it('opens as many connections as --pg-pool says under load, and no more', async () => {
    expect(await connectionsUnderBurst(['--pg-pool', '3'])).toBe(3);
  });

  it('takes the size from TODO_MCP_PG_POOL too', async () => {
    expect(await connectionsUnderBurst([], { TODO_MCP_PG_POOL: '2' })).toBe(2);
  });
});
