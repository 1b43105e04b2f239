import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { startCli, type CliProcess } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { todoMcpConnections } from '../helpers/todo-mcp-connections.js';
import { postToolCall } from '../scale/mcp-post.js';

/**
 * `todo-mcp serve --store postgres://… --pg-pool N` as a user starts it: when calls pile up the server opens
 * exactly N connections (the pool fills up, and no further), whichever layer N came from.
 */

const RESOURCE = 'http://localhost:3001';
const READY = /MCP endpoint\s+(http:\/\/localhost:\d+\/mcp)/;

let cluster: PostgresCluster;
let issuer: TestIssuer;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts serve with `args` and returns how many connections it opened while every statement had to wait.
 * A free table would not prove the pool's size: the store merges the reads of one event-loop turn and the
 * creates made during a commit, so a fast burst may need only two connections (it did, in CI). Here a
 * transaction holds the `todos` table while calls arrive one by one, so each statement keeps its connection
 * and the next call needs another, until the pool is full; the rest must queue. Then the table is released
 * and every call must be answered.
 */
async function connectionsWhileBlocked(args: string[], env: Record<string, string> = {}): Promise<number> {
  const url = await cluster.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const serve: CliProcess & { match: RegExpMatchArray } = await startCli(
    ['serve', '--stateless', '--store', url, '--port', '0', '--issuer', issuer.issuer, '--resource', RESOURCE, '--log-level', 'warn', ...args],
    READY,
    { timeoutMs: 45_000, env },
  );
  const watcher = new pg.Client({ connectionString: cluster.url() });
  const holder = new pg.Client({ connectionString: url });
  await watcher.connect();
  await holder.connect();
  const opened = () => todoMcpConnections(watcher, database);
  const waiting = () => todoMcpConnections(watcher, database, { waitingOnLock: true });
  let released = false;
  const release = async () => {
    if (!released) await holder.query('COMMIT');
    released = true;
  };
  try {
    const token = await issuer.sign({ aud: RESOURCE, sub: 'alice', scope: 'create:todos read:todos' });
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE todos IN ACCESS EXCLUSIVE MODE');
    // Several times the largest pool asked for (reads landing in one turn share a statement, creates share one
    // INSERT at a time), each sent a little after the one before, in a later event-loop turn of the server.
    const calls: Array<ReturnType<typeof postToolCall>> = [];
    for (let i = 0; i < 16; i += 1) {
      const tool = i % 4 === 3 ? 'create-todo' : 'get-todos';
      calls.push(postToolCall(serve.match[1]!, token, tool, tool === 'create-todo' ? { content: `burst ${i}` } : {}, { id: i }));
      await sleep(25);
    }
    // The pool fills up to its size with statements waiting for the table; it is read once the count has held
    // still for half a second (time enough to open one more, wrongly), within 3 s (queued calls give up after 5).
    let most = await opened();
    let steadySince = Date.now();
    for (const deadline = Date.now() + 3_000; Date.now() - steadySince < 500 && Date.now() < deadline; ) {
      await sleep(50);
      const now = await opened();
      if (now !== most) [most, steadySince] = [now, Date.now()];
    }
    expect(await waiting()).toBeGreaterThan(0);
    await release();
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => !a.answered || a.isError)).toEqual([]);
    return most;
  } finally {
    await release().catch(() => undefined);
    await holder.end();
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

  it('opens as many connections as --pg-pool says when calls pile up, and no more', async () => {
    expect(await connectionsWhileBlocked(['--pg-pool', '3'])).toBe(3);
  });

  it('takes the size from TODO_MCP_PG_POOL too', async () => {
    expect(await connectionsWhileBlocked([], { TODO_MCP_PG_POOL: '2' })).toBe(2);
  });
});
