import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { runCli, startCli, type CliProcess } from '../helpers/run-cli.js';
import { storeEntry } from '../helpers/stored-login.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { postToolCall } from '../scale/mcp-post.js';

/**
 * Paged get-todos end to end on PostgreSQL, as a user runs it: `todo-mcp serve --store postgres://…` and the
 * real CLI's `call get-todos` (one page and a "more:" hint that works as printed) and `--all`. The store
 * contract proves the cursor at the repository; this proves the tool and the CLI over the PostgreSQL store.
 */

const RESOURCE = 'http://localhost:3001';
const READY = /MCP endpoint\s+(http:\/\/localhost:\d+\/mcp)/;
const TODOS = 230;

let cluster: PostgresCluster;
let issuer: TestIssuer;
let serve: (CliProcess & { match: RegExpMatchArray }) | undefined;
let dir: string;
let home: string;
let mcpUrl: string;
let created: string[];

const call = (args: string[]) => runCli(['call', 'get-todos', ...args, '--server', mcpUrl, '--no-login'], { env: { TODO_MCP_HOME: home, NO_COLOR: '1' }, cwd: dir, timeoutMs: 30_000 });
/** The todo contents in a table's data rows (the header is the first line). */
const contents = (stdout: string) => stdout.trimEnd().split('\n').slice(1).map((row) => /\s(alice \d+)\s/.exec(row)?.[1]);

describe.skipIf(!POSTGRES.available)(`paged get-todos over serve --store postgres${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, { timeout: 90_000 }, () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    issuer = await startTestIssuer({ audience: RESOURCE });
    dir = await mkdtemp(join(tmpdir(), 'todo-mcp-pg-pages-'));
    home = join(dir, 'home');
    serve = await startCli(
      ['serve', '--stateless', '--store', await cluster.createDatabase(), '--port', '0', '--issuer', issuer.issuer, '--resource', RESOURCE, '--log-level', 'warn'],
      READY,
      { timeoutMs: 45_000 },
    );
    mcpUrl = serve.match[1]!;
    const token = await issuer.sign({ aud: RESOURCE, sub: 'alice', scope: 'create:todos' });
    // One at a time, so creation order (the listing's order) is known; bob's todo must never show up.
    created = [];
    for (let i = 0; i < TODOS; i++) {
      const content = `alice ${String(i).padStart(3, '0')}`;
      const answer = await postToolCall(mcpUrl, token, 'create-todo', { content }, { id: i });
      expect(answer.answered && !answer.isError, answer.text).toBe(true);
      created.push(content);
    }
    const bob = await postToolCall(mcpUrl, await issuer.sign({ aud: RESOURCE, sub: 'bob', scope: 'create:todos' }), 'create-todo', { content: 'bob 000' });
    expect(bob.answered).toBe(true);
    await storeEntry(home, mcpUrl, {
      resource: RESOURCE,
      issuer: issuer.issuer,
      authorizationServer: { issuer: issuer.issuer, token_endpoint: `${issuer.issuer}/token` },
      accessToken: token,
      scopesRequested: ['create:todos'],
      scopesGranted: ['create:todos'],
    });
  }, 120_000);
  afterAll(async () => {
    await serve?.stop('SIGTERM');
    await issuer?.close();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows one page of 100 and a "more:" hint; the hint as printed shows the next page', async () => {
    const first = await call([]);
    expect(first.code, first.stderr).toBe(EXIT.ok);
    expect(contents(first.stdout)).toEqual(created.slice(0, 100));
    const hint = /^more: todo-mcp call get-todos (cursor=\S+) --server/m.exec(first.stderr);
    expect(hint, first.stderr).not.toBeNull();
    const second = await call([hint![1]!]);
    expect(second.code, second.stderr).toBe(EXIT.ok);
    expect(contents(second.stdout)).toEqual(created.slice(100, 200));
  });

  it('--all follows every cursor: all of alice’s todos in order, none of bob’s, no hint', async () => {
    const all = await call(['limit=40', '--all']);
    expect(all.code, all.stderr).toBe(EXIT.ok);
    expect(contents(all.stdout)).toEqual(created);
    expect(all.stdout).not.toContain('bob');
    expect(all.stderr).not.toContain('more:');
  });
});
