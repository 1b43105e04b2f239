import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { createTokenStore, putEntry } from '../../src/client/token-store.js';
import { POSTGRES } from '../helpers/postgres-cluster.mjs';
import { runCli } from '../helpers/run-cli.js';
import { postToolCall } from './mcp-post.js';
import { startReplicaFixture, type ReplicaFixture } from './replica-fixture.js';

/**
 * Scale-out: three `todo-mcp serve --stateless --store postgres://…` replicas behind a round-robin proxy,
 * one PostgreSQL. Clients (the SDK, raw HTTP, the CLI) only know the proxy's address, so consecutive
 * requests land on different replicas; one replica is killed with SIGKILL in the middle of a write burst.
 */

const USER = 'create:todos';
const ADMIN = 'create:todos read:todos delete:todos';
const USERS = ['alice', 'bob', 'carol'] as const;

interface Todo {
  id: string;
  content: string;
  ownerId: string;
}

let fx: ReplicaFixture;
const homes: string[] = [];

async function create(client: Client, content: string): Promise<Todo> {
  const r = await client.callTool({ name: 'create-todo', arguments: { content } });
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  return (r.structuredContent as { todo: Todo }).todo;
}

/** Every todo the client may see: get-todos page after page, each page possibly from another replica. */
async function list(client: Client): Promise<Todo[]> {
  const all: Todo[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const r = await client.callTool({ name: 'get-todos', arguments: { limit: 50, ...(cursor ? { cursor } : {}) } });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const page = r.structuredContent as { todos: Todo[]; nextCursor?: string };
    all.push(...page.todos);
    cursor = page.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('get-todos never stopped handing out cursors');
}

const answered = () => fx.proxy.answeredBy().map((backend) => backend.answered);

describe.skipIf(!POSTGRES.available)(`three stateless replicas on PostgreSQL behind a proxy${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, { timeout: 60_000 }, () => {
  beforeAll(async () => {
    fx = await startReplicaFixture();
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
    await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
  });

  it('every replica publishes the same resource and challenge, and the proxy spreads requests over all of them', async () => {
    const before = answered();
    const metadata = await Promise.all([1, 2, 3].map(async () => (await fetch(`${fx.resource}/.well-known/oauth-protected-resource/mcp`)).json()));
    expect(metadata[1]).toEqual(metadata[0]);
    expect(metadata[2]).toEqual(metadata[0]);
    expect(metadata[0]).toMatchObject({ resource: fx.resource, authorization_servers: [fx.issuer.issuer] });
    const unauthenticated = await fetch(fx.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toContain(`resource_metadata="${fx.resource}/.well-known/oauth-protected-resource/mcp"`);
    expect(answered().every((n, i) => n > before[i]!)).toBe(true);
  });

  it('role matrix over the SDK client, each call answered by whichever replica is next', async () => {
    const alice = await fx.connect(await fx.token('alice', USER));
    const bob = await fx.connect(await fx.token('bob', USER));
    const admin = await fx.connect(await fx.token('admin', ADMIN));
    const before = answered();

    const a = await create(alice, 'alice 1');
    const b = await create(bob, 'bob 1');
    const m = await create(admin, 'admin 1');
    expect([a.ownerId, b.ownerId, m.ownerId]).toEqual(['alice', 'bob', 'admin']);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    // A todo created through one replica is seen through the others at once.
    for (let i = 0; i < 3; i += 1) expect((await list(alice)).map((todo) => todo.id)).toEqual([a.id]);
    expect(new Set((await list(admin)).map((todo) => todo.ownerId))).toEqual(new Set(['alice', 'bob', 'admin']));

    const attempt = await alice.callTool({ name: 'delete-todo', arguments: { id: b.id } });
    const missing = await alice.callTool({ name: 'delete-todo', arguments: { id: randomUUID() } });
    expect(attempt.isError).toBe(true);
    const text = (r: typeof attempt) => (r.content as Array<{ text: string }>)[0]!.text;
    expect(text(attempt).replace(b.id, 'X')).toBe(text(missing).replace(/"[^"]+"/, '"X"'));
    expect((await list(bob)).map((todo) => todo.id)).toEqual([b.id]);

    const own = await alice.callTool({ name: 'delete-todo', arguments: { id: a.id } });
    expect(own.isError).toBeFalsy();
    const byAdmin = await admin.callTool({ name: 'delete-todo', arguments: { id: b.id } });
    expect(byAdmin.isError).toBeFalsy();
    expect(await list(bob)).toEqual([]);

    const reader = await fx.token('dave', 'read:todos');
    const forbidden = await postToolCall(fx.mcpUrl, reader, 'create-todo', { content: 'x' });
    expect(forbidden.status).toBe(403);
    // Every replica took part.
    expect(answered().every((n, i) => n - before[i]! >= 3)).toBe(true);
  });

  it('the CLI calls through the proxy with a stored token', async () => {
    const home = await mkdtemp(join(tmpdir(), 'todo-mcp-scale-home-'));
    homes.push(home);
    const accessToken = await fx.token('erin', USER);
    await createTokenStore({ dir: home }).update((data) => {
      putEntry(data, {
        server: fx.mcpUrl,
        resource: fx.resource,
        issuer: fx.issuer.issuer,
        authorizationServer: { issuer: fx.issuer.issuer },
        client: { clientId: 'scale-cli', authMethod: 'none', kind: 'pre-registered' },
        accessToken,
        tokenType: 'Bearer',
        scopesRequested: [USER],
        scopesGranted: [USER],
        updatedAt: Math.floor(Date.now() / 1000),
      });
    });
    const env = { TODO_MCP_HOME: home };
    const created = await runCli(['call', 'create-todo', 'content=through the proxy', '--json', '--no-login', '--server', fx.mcpUrl], { env, timeoutMs: 30_000 });
    expect(created.code, created.stderr).toBe(EXIT.ok);
    const todo = JSON.parse(created.stdout).structuredContent.todo as Todo;
    expect(todo).toMatchObject({ content: 'through the proxy', ownerId: 'erin' });
    const rows = await fx.cluster.query('SELECT owner_id, content FROM todos WHERE id = $1', [todo.id], fx.database);
    expect(rows).toEqual([{ owner_id: 'erin', content: 'through the proxy' }]);
    // The CLI's session (initialize, list tools, call) spanned replicas: stateless mode needs no affinity.
    const erin = await fx.connect(accessToken);
    expect((await list(erin)).map((t) => t.id)).toEqual([todo.id]);
  });

  it('concurrent creates from many clients across replicas give exactly that many rows', async () => {
    // Some SDK clients (each with its own initialize) and more raw HTTP clients, all at once.
    const SDK_PER_USER = 2;
    const RAW_PER_USER = 6;
    const CREATES = 5;
    const callers = await Promise.all(
      USERS.flatMap((user) =>
        Array.from({ length: SDK_PER_USER + RAW_PER_USER }, async (_, i) => {
          const token = await fx.token(user, USER);
          if (i >= SDK_PER_USER) {
            return { user, create: async (content: string) => (await postToolCall(fx.mcpUrl, token, 'create-todo', { content })).structured?.todo as Todo };
          }
          const client = await fx.connect(token);
          return { user, create: (content: string) => create(client, content) };
        }),
      ),
    );
    const created = await Promise.all(
      callers.map(async ({ user, create: createTodo }, c) => {
        const mine: Todo[] = [];
        for (let i = 0; i < CREATES; i += 1) mine.push(await createTodo(`burst|${user}|${c}|${i}`));
        return mine;
      }),
    );
    const ids = created.flat().map((todo) => todo.id);
    expect(new Set(ids).size).toBe(callers.length * CREATES);
    const rows = await fx.cluster.query<{ owner_id: string; n: number }>(
      "SELECT owner_id, count(*)::int AS n FROM todos WHERE content LIKE 'burst|%' GROUP BY owner_id ORDER BY owner_id",
      [],
      fx.database,
    );
    expect(rows).toEqual(USERS.map((user) => ({ owner_id: user, n: (SDK_PER_USER + RAW_PER_USER) * CREATES })));
    const admin = await fx.connect(await fx.token('admin', ADMIN));
    const seen = (await list(admin)).filter((todo) => todo.content.startsWith('burst|')).map((todo) => todo.id);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('kill -9 of one replica in the middle of a write burst: no acknowledged write lost, the others keep serving', async () => {
    const WORKERS_PER_USER = 5;
    const AFTER_KILL_MS = 2_500;
    const tokens = new Map(await Promise.all(USERS.map(async (user) => [user, await fx.token(user, USER)] as const)));
    const acknowledged = new Map<string, { content: string; owner: string; at: number }>();
    const sent = new Set<string>();
    const failures: string[] = [];
    const leaks: string[] = [];
    let killedAt = 0;
    let stop = false;

    async function worker(user: (typeof USERS)[number], w: number): Promise<void> {
      const token = tokens.get(user)!;
      for (let seq = 0; !stop; seq += 1) {
        if (seq % 5 === 4) {
          // Reads in between: each user must only ever see their own todos, whichever replica answers.
          const answer = await postToolCall(fx.mcpUrl, token, 'get-todos', {}).catch((error: Error) => ({ answered: false, status: 0, text: error.message }) as const);
          const todos = (answer as { structured?: { todos?: Todo[] } }).structured?.todos;
          if (!answer.answered || !todos) failures.push(`get-todos ${answer.status}: ${answer.text.slice(0, 200)}`);
          else for (const todo of todos) if (todo.ownerId !== user) leaks.push(`${user} saw ${JSON.stringify(todo)}`);
          continue;
        }
        const content = `kill|${user}|${w}|${seq}|${randomUUID().slice(0, 8)}`;
        sent.add(content);
        const answer = await postToolCall(fx.mcpUrl, token, 'create-todo', { content }).catch((error: Error) => ({ answered: false, status: 0, text: error.message }) as const);
        const todo = (answer as { structured?: { todo?: Todo } }).structured?.todo;
        if (!answer.answered || !todo || todo.content !== content) {
          failures.push(`create ${answer.status}: ${answer.text.slice(0, 200)}`);
          continue;
        }
        acknowledged.set(todo.id, { content, owner: user, at: Date.now() });
      }
    }

    const victim = fx.replicas[1]!;
    const survivors = fx.replicas.filter((replica) => replica !== victim);
    const workers = USERS.flatMap((user) => Array.from({ length: WORKERS_PER_USER }, (_, w) => worker(user, w)));
    const killer = (async () => {
      // Kill once the burst is well under way (bounded wait), then let it run on without that replica.
      for (let i = 0; i < 200 && acknowledged.size < 40; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      await victim.serve.stop('SIGKILL');
      killedAt = Date.now();
      const atKill = answered();
      // Run on for a while, and until both survivors have shown they serve (bounded: a slow machine).
      const enough = () =>
        Date.now() - killedAt >= AFTER_KILL_MS &&
        [...acknowledged.values()].filter((ack) => ack.at > killedAt).length >= 20 &&
        survivors.every((replica) => answered()[replica.index]! - atKill[replica.index]! > 10);
      while (!enough() && Date.now() - killedAt < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
      stop = true;
    })();
    const answeredBeforeKill = await (async () => {
      while (killedAt === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      return answered();
    })();
    await Promise.all([killer, ...workers]);

    const rows = await fx.cluster.query<{ id: string; owner_id: string; content: string }>(
      "SELECT id::text, owner_id, content FROM todos WHERE content LIKE 'kill|%'",
      [],
      fx.database,
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    const lost = [...acknowledged].filter(([id, ack]) => stored.get(id)?.content !== ack.content || stored.get(id)?.owner_id !== ack.owner);
    const phantoms = rows.filter((row) => !sent.has(row.content));
    const acknowledgedAfterKill = [...acknowledged.values()].filter((ack) => ack.at > killedAt).length;
    const workerCount = USERS.length * WORKERS_PER_USER;
    process.stdout.write(
      `scale kill: ${acknowledged.size} creates acknowledged (${acknowledgedAfterKill} after the kill), ${failures.length} failed, ${rows.length} rows, proxy retried ${fx.proxy.stats.retried}, 502s ${fx.proxy.stats.badGateway}\n`,
    );

    expect(victim.alive()).toBe(false);
    expect(lost).toEqual([]);
    expect(phantoms).toEqual([]);
    // Nothing was applied twice: the proxy resent a create only when its connection had been refused.
    expect(new Set(rows.map((row) => row.content)).size).toBe(rows.length);
    expect(leaks).toEqual([]);
    // Only creates in flight on the killed replica can fail (at most one per worker), each a 502 from the
    // proxy; reads are resent to another replica, so none fails.
    expect(failures.length).toBeLessThanOrEqual(workerCount);
    for (const failure of failures) expect(failure).toMatch(/^create 502: /);
    // The survivors kept answering, both of them, without a server error.
    expect(acknowledgedAfterKill).toBeGreaterThanOrEqual(20);
    const after = answered();
    for (const replica of survivors) expect(after[replica.index]! - answeredBeforeKill[replica.index]!).toBeGreaterThan(10);
    for (const replica of survivors) expect(replica.serverErrorLines()).toEqual([]);
    // And the survivors agree with the database.
    const admin = await fx.connect(await fx.token('admin', ADMIN));
    const listed = (await list(admin)).filter((todo) => todo.content.startsWith('kill|'));
    expect(new Set(listed.map((todo) => todo.id))).toEqual(new Set(rows.map((row) => row.id)));
  });
});
