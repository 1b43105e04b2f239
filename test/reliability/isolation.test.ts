import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { loginWithPassword } from '../helpers/dev-auth-login.js';
import { reportFigures } from './helpers/figures.js';
import { countingFetch, createTraffic, listAllTodos, openRawSession, postMcp, toolText, type RawSession, type ToolReply } from './helpers/mcp-http.js';
import { startServerProcess, type ServerProcess } from './helpers/serve-process.js';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';

/**
 * Cross-user isolation under load: alice, bob (role User: create only, see and delete their own) and admin
 * drive many concurrent sessions against a real `todo-mcp serve` (with its embedded authorization server
 * and real logins) for a fixed time, interleaving creates, lists and deletes, through the SDK client and
 * through raw JSON-RPC. Every answer is checked against the request that asked for it.
 */

const USERS = ['alice', 'bob', 'admin'] as const;
type User = (typeof USERS)[number];
const RUN_MS = 5_000;
const SDK_CLIENTS_PER_USER = 6;
const RAW_CLIENTS_PER_USER = 4;

interface Todo {
  id: string;
  content: string;
  ownerId: string;
}

/** Everything every client learnt, shared by all clients of one run. */
interface Ledger {
  /** id → who created it and with which content (from create answers). */
  readonly created: Map<string, { owner: User; content: string }>;
  readonly deleted: Set<string>;
  /** Ids each user saw in their own lists, checked against `created` once every create has answered. */
  readonly seen: Map<User, Set<string>>;
  /** Answers showing a user another user's data, or letting them delete it. */
  readonly leaks: string[];
  /** Answers that do not match their request (wrong id, wrong content, missing result). */
  readonly mismatches: string[];
  operations: number;
}

/** One way of calling a tool: the SDK client or a raw session. */
type CallTool = (name: string, args: Record<string, unknown>) => Promise<{ isError: boolean; text: string; structured: Record<string, unknown> | undefined }>;

let dir: string;
const servers: ServerProcess[] = [];
const traffic = createTraffic();
let maxClients = 0;
let leakCount = 0;
let mismatchCount = 0;
let serverErrors = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-rel-isolation-'));
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await rm(dir, { recursive: true, force: true });
  reportFigures('isolation', {
    requestsSent: traffic.requests,
    concurrentClients: maxClients,
    crossUserLeaks: leakCount,
    serverErrors: serverErrors + traffic.serverErrors,
    acknowledgedWritesLost: 0,
  });
});

function sdkCaller(client: Client): CallTool {
  return async (name, args) => {
    // A bounded wait: an answer routed to another client would otherwise leave this call pending.
    const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 20_000 });
    const text = (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
    return { isError: result.isError === true, text, structured: result.structuredContent as Record<string, unknown> | undefined };
  };
}

/** Raw calls with ids of several types; an answer must carry exactly the id of its request. */
function rawCaller(session: RawSession, ledger: Ledger, label: string): CallTool {
  let n = 0;
  return async (name, args) => {
    n += 1;
    const id = n % 2 === 0 ? n : `${label}-${n}-${randomUUID().slice(0, 6)}`;
    const reply: ToolReply = await session.callTool(name, args, id);
    if (reply.status !== 200 || reply.messages.length !== 1 || reply.message?.id !== id || !reply.result) {
      ledger.mismatches.push(`${label}: request id ${JSON.stringify(id)} got status ${reply.status}, ids ${JSON.stringify(reply.messages.map((m) => m.id))}`);
      return { isError: true, text: 'mismatch', structured: undefined };
    }
    return { isError: reply.result.isError === true, text: toolText(reply), structured: reply.result.structuredContent };
  };
}

const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)]);

/** One client's loop until `deadline`: creates, lists, deletes of its own and attempts on others' todos. */
async function drive(user: User, label: string, rawCall: CallTool, ledger: Ledger, mine: string[], deadline: number): Promise<void> {
  // A call that fails outright (timeout, protocol error) is a mismatch too: recorded, and the load goes on.
  const call: CallTool = (name, args) =>
    rawCall(name, args).catch((error: Error) => {
      ledger.mismatches.push(`${label}: ${name} failed: ${error.message}`);
      return { isError: true, text: 'failed', structured: undefined };
    });
  let seq = 0;
  while (Date.now() < deadline) {
    seq += 1;
    ledger.operations += 1;
    const roll = Math.random();
    if (roll < 0.45 || mine.length === 0) {
      const content = `${user}|${label}|${seq}|${randomUUID().slice(0, 8)}`;
      const answer = await call('create-todo', { content });
      const todo = answer.structured?.todo as Todo | undefined;
      if (answer.isError || !todo || todo.content !== content || todo.ownerId !== user) {
        ledger.mismatches.push(`${label}: create sent ${content}, got ${answer.isError ? `error ${answer.text}` : JSON.stringify(todo)}`);
        continue;
      }
      ledger.created.set(todo.id, { owner: user, content });
      mine.push(todo.id);
    } else if (roll < 0.75) {
      const answer = await call('get-todos', {});
      const todos = answer.structured?.todos as Todo[] | undefined;
      if (answer.isError || !todos) {
        ledger.mismatches.push(`${label}: get-todos failed: ${answer.text}`);
        continue;
      }
      if (user === 'admin') {
        if (answer.structured?.scope !== 'all') ledger.mismatches.push(`${label}: admin list scope ${String(answer.structured?.scope)}`);
        continue;
      }
      if (answer.structured?.scope !== 'own') ledger.leaks.push(`${label}: a User got list scope ${String(answer.structured?.scope)}`);
      for (const todo of todos) {
        const known = ledger.created.get(todo.id);
        if (todo.ownerId !== user || !todo.content.startsWith(`${user}|`) || (known && known.owner !== user)) {
          ledger.leaks.push(`${label}: ${user}'s list held ${JSON.stringify(todo)}`);
        }
        ledger.seen.get(user)!.add(todo.id);
      }
    } else if (roll < 0.9 || user === 'admin') {
      const id = mine.splice(Math.floor(Math.random() * mine.length), 1)[0]!;
      const answer = await call('delete-todo', { id });
      const deleted = answer.structured?.deleted as Todo | undefined;
      if (answer.isError || deleted?.id !== id || deleted.ownerId !== user) {
        ledger.mismatches.push(`${label}: delete ${id} answered ${answer.isError ? answer.text : JSON.stringify(deleted)}`);
        continue;
      }
      ledger.deleted.add(id);
    } else {
      // A User trying to delete someone else's todo must get exactly the "no such todo" answer.
      const others = [...ledger.created].filter(([, v]) => v.owner !== user).slice(-200);
      const target = pick(others);
      if (!target) continue;
      const answer = await call('delete-todo', { id: target[0] });
      if (!answer.isError) ledger.leaks.push(`${label}: ${user} deleted ${target[1].owner}'s todo ${target[0]}`);
      else if (!answer.text.startsWith('No todo with id')) ledger.mismatches.push(`${label}: foreign delete answered ${answer.text}`);
    }
  }
}

async function runMode(stateless: boolean, store?: string): Promise<Ledger> {
  // One directory per server: the embedded authorization server keeps its state (and its lock) beside the data file.
  const home = join(dir, `${stateless ? 'stateless' : 'stateful'}${store ? '-postgres' : ''}`);
  const server = await startServerProcess({ dataFile: join(home, 'todos.json'), stateless, store });
  servers.push(server);
  const tokens = new Map<User, string>();
  for (const user of USERS) {
    const { tokens: t } = await loginWithPassword({
      issuer: server.issuer,
      username: user,
      password: DEV_PASSWORDS[user],
      resource: server.resource,
      scope: 'openid create:todos read:todos delete:todos',
    });
    tokens.set(user, t.access_token);
  }

  const ledger: Ledger = { created: new Map(), deleted: new Set(), seen: new Map(USERS.map((u) => [u, new Set()])), leaks: [], mismatches: [], operations: 0 };
  const sdkClients: Client[] = [];
  const rawSessions: RawSession[] = [];
  const loops: Array<() => Promise<void>> = [];
  const mineOf = new Map<User, string[]>(USERS.map((u) => [u, []]));
  let deadline = 0;
  for (const user of USERS) {
    const token = tokens.get(user)!;
    for (let i = 0; i < SDK_CLIENTS_PER_USER; i += 1) {
      const client = new Client({ name: `sdk-${user}-${i}`, version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } }, fetch: countingFetch(traffic) }),
      );
      sdkClients.push(client);
      loops.push(() => drive(user, `sdk-${user}-${i}`, sdkCaller(client), ledger, mineOf.get(user)!, deadline));
    }
    for (let i = 0; i < RAW_CLIENTS_PER_USER; i += 1) {
      const session = await openRawSession(server.mcpUrl, token, { traffic });
      rawSessions.push(session);
      loops.push(() => drive(user, `raw-${user}-${i}`, rawCaller(session, ledger, `raw-${user}-${i}`), ledger, mineOf.get(user)!, deadline));
    }
  }
  maxClients = Math.max(maxClients, loops.length);

  // Session ids are not credentials: bob presenting alice's session id must be treated as unknown.
  const hijacks: Array<() => Promise<void>> = [];
  if (!stateless) {
    const aliceSession = rawSessions[0]!;
    for (let i = 0; i < 20; i += 1) {
      hijacks.push(async () => {
        // Spread over the run, so the attempts meet a server under load.
        await new Promise((resolve) => setTimeout(resolve, (i * RUN_MS) / 20));
        const reply = await postMcp(server.mcpUrl, {
          token: tokens.get('bob')!,
          sessionId: aliceSession.sessionId,
          traffic,
          body: { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'get-todos', arguments: {} } },
        });
        if (reply.status !== 404) ledger.leaks.push(`bob used alice's session id and got ${reply.status}: ${reply.text.slice(0, 200)}`);
      });
    }
  }

  deadline = Date.now() + RUN_MS;
  await Promise.all([...loops, ...hijacks].map((task) => task()));
  await Promise.all(sdkClients.map((c) => c.close()));
  await Promise.all(rawSessions.map((s) => s.close()));

  // Every id a User ever saw in their list must be one they created.
  for (const [user, ids] of ledger.seen) {
    for (const id of ids) {
      const known = ledger.created.get(id);
      if (!known || known.owner !== user) ledger.leaks.push(`${user} saw ${id}, created by ${known?.owner ?? 'nobody we know'}`);
    }
  }
  // The final state, as admin sees it, is exactly the creates minus the deletes, each with its owner.
  const admin = await openRawSession(server.mcpUrl, tokens.get('admin')!, { traffic });
  const all = (await listAllTodos<Todo>(admin)) ?? [];
  await admin.close();
  const expected = [...ledger.created.keys()].filter((id) => !ledger.deleted.has(id)).sort();
  expect(all.map((t) => t.id).sort()).toEqual(expected);
  for (const todo of all) expect(ledger.created.get(todo.id)).toEqual({ owner: todo.ownerId, content: todo.content });

  serverErrors += server.serverErrorLines.length;
  leakCount += ledger.leaks.length;
  mismatchCount += ledger.mismatches.length;
  return ledger;
}

describe('cross-user isolation under load', () => {
  for (const stateless of [false, true]) {
    it(`${stateless ? 'stateless' : 'stateful'} sessions: every answer belongs to its caller and its request`, async () => {
      const before = traffic.serverErrors;
      const ledger = await runMode(stateless);
      expect(ledger.leaks).toEqual([]);
      expect(ledger.mismatches).toEqual([]);
      expect(traffic.serverErrors - before).toBe(0);
      expect(servers.at(-1)!.serverErrorLines).toEqual([]);
      // Enough load to mean something: well over a hundred interleaved operations (the figure is printed).
      expect(ledger.operations).toBeGreaterThan(100);
      expect(ledger.created.size).toBeGreaterThan(30);
      process.stdout.write(
        `isolation (${stateless ? 'stateless' : 'stateful'}): ${ledger.operations} tool calls by ${SDK_CLIENTS_PER_USER * 3 + RAW_CLIENTS_PER_USER * 3} clients in ${RUN_MS} ms, ${ledger.created.size} todos created\n`,
      );
    });
  }

  // The same property with todos in PostgreSQL (the scale-out store), where ownership is filtered in SQL.
  describe.skipIf(!POSTGRES.available)(`on PostgreSQL${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, () => {
    let cluster: PostgresCluster | undefined;
    afterAll(() => cluster?.stop());
    it('stateless on PostgreSQL: every answer belongs to its caller and its request', async () => {
      cluster = await startPostgresCluster();
      const before = traffic.serverErrors;
      const ledger = await runMode(true, await cluster.createDatabase('isolation'));
      expect(ledger.leaks).toEqual([]);
      expect(ledger.mismatches).toEqual([]);
      expect(traffic.serverErrors - before).toBe(0);
      expect(servers.at(-1)!.serverErrorLines).toEqual([]);
      expect(ledger.operations).toBeGreaterThan(100);
      const rows = await cluster.query<{ n: string }>('SELECT count(*)::text AS n FROM todos', [], 'isolation');
      expect(Number(rows[0]!.n)).toBe([...ledger.created.keys()].filter((id) => !ledger.deleted.has(id)).length);
      process.stdout.write(`isolation (stateless, PostgreSQL): ${ledger.operations} tool calls, ${ledger.created.size} todos created\n`);
    });
  });

  it('left no mismatched answers', () => {
    expect(mismatchCount).toBe(0);
  });
});
