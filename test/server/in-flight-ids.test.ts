import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { createApp } from '../../src/server/create-app.js';
import { openTodoRepository } from '../../src/store/open-todo-repository.js';
import type { TodoRepository } from '../../src/store/todo-repository.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/**
 * The real app (real verifier, real JSON store) with one test device: `page` (get-todos) waits at a
 * gate the test opens, so a request is provably in flight when the second one with its id arrives.
 */
interface GatedServer {
  url: string;
  token: string;
  /** Resolves when get-todos reached the store (the SDK accepted the request). */
  listEntered(): Promise<void>;
  /** Lets every waiting and future get-todos through, until `closeGate`. */
  openGate(): void;
  closeGate(): void;
  todos: TodoRepository;
  close(): Promise<void>;
}

let issuer: TestIssuer;
let dir: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-in-flight-'));
});
afterAll(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

/** Promise.withResolvers arrives in Node 22. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function startGatedServer(stateless: boolean): Promise<GatedServer> {
  const { todos } = await openTodoRepository({ dataFile: join(dir, `todos-${stateless ? 'stateless' : 'sessions'}.json`) });
  let gate = deferred();
  let entered = deferred();
  const gated: TodoRepository = {
    create: (input) => todos.create(input),
    delete: (id, filter) => todos.delete(id, filter),
    close: () => todos.close(),
    list: (filter) => todos.list(filter),
    cursorSecret: todos.cursorSecret,
    // What get-todos reads through: held at the gate.
    async page(query) {
      entered.resolve();
      await gate.promise;
      return todos.page(query);
    },
  };
  let handler: ((req: never, res: never) => void) | undefined;
  const http: Server = createServer((req, res) => handler!(req as never, res as never));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const resource = `http://localhost:${(http.address() as AddressInfo).port}`;
  const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: resource, jwksUri: issuer.jwksUri });
  const { app, close } = createApp({ config: { resource, issuer: issuer.issuer, stateless }, verifier, todos: gated });
  handler = app as never;
  return {
    url: `${resource}/mcp`,
    token: await issuer.sign({ sub: 'alice', aud: resource, scope: 'create:todos' }),
    listEntered: () => entered.promise,
    openGate: () => gate.resolve(),
    closeGate() {
      gate = deferred();
      entered = deferred();
    },
    todos,
    async close() {
      gate.resolve();
      await close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await todos.close();
    },
  };
}

interface Answer {
  status: number;
  /** The JSON-RPC message(s) of the answer, from a JSON body or the SSE data lines. */
  messages: Array<{ id?: unknown; result?: { structuredContent?: { todos?: Array<{ content: string }> } }; error?: { code: number; message: string } }>;
  ms: number;
}

async function post(server: GatedServer, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const json = res.headers.get('content-type')?.includes('text/event-stream')
    ? text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)))
    : text
      ? [JSON.parse(text)].flat()
      : [];
  return { status: res.status, messages: json, ms };
}

const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

async function openSession(server: GatedServer): Promise<Record<string, string>> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
  await res.text();
  const session = { 'mcp-session-id': res.headers.get('mcp-session-id')! };
  expect((await post(server, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status).toBe(202);
  return session;
}

describe('a request id already in flight on the session', { timeout: 20_000 }, () => {
  let server: GatedServer;
  beforeAll(async () => {
    server = await startGatedServer(false);
  });
  afterAll(() => server.close());

  it('is refused at once with -32600 while the first request still gets its own answer; the session keeps working', async () => {
    const session = await openSession(server);
    server.closeGate();
    const first = post(server, call(7, 'get-todos'), session);
    await server.listEntered();

    const second = await post(server, call(7, 'create-todo', { content: 'must not be stored' }), session);
    expect(second.status).toBe(400);
    expect(second.messages).toEqual([{ jsonrpc: '2.0', id: 7, error: { code: -32600, message: expect.stringContaining('request id already in use') } }]);
    expect(second.ms).toBeLessThan(1_000);

    server.openGate();
    const answered = await first;
    expect(answered.status).toBe(200);
    expect(answered.messages).toHaveLength(1);
    expect(answered.messages[0]).toMatchObject({ id: 7, result: { structuredContent: { todos: [] } } });
    // The refused request did nothing.
    expect(await server.todos.list()).toEqual([]);

    // Answered, the id is free again; other ids always were.
    const again = await post(server, call(7, 'create-todo', { content: 'after' }), session);
    expect(again.messages[0]).toMatchObject({ id: 7, result: { structuredContent: { todo: { content: 'after' } } } });
    const other = await post(server, call('7', 'get-todos'), session);
    expect(other.messages[0]).toMatchObject({ id: '7', result: { structuredContent: { todos: [{ content: 'after' }] } } });
  });

  it('a batch that repeats one of its own ids is refused whole, before anything runs', async () => {
    const session = await openSession(server);
    server.openGate();
    const before = (await server.todos.list()).length;
    const batch = await post(server, [call(21, 'create-todo', { content: 'batch one' }), call(21, 'create-todo', { content: 'batch two' })], session);
    expect(batch.status).toBe(400);
    expect(batch.messages).toEqual([{ jsonrpc: '2.0', id: 21, error: { code: -32600, message: expect.stringContaining('request id already in use') } }]);
    expect(await server.todos.list()).toHaveLength(before);
  });

  it('a batch reusing an id in flight is refused; one with fresh ids is not', async () => {
    const session = await openSession(server);
    server.closeGate();
    const first = post(server, call(31, 'get-todos'), session);
    await server.listEntered();
    const clash = await post(server, [call(32, 'create-todo', { content: 'x' }), call(31, 'create-todo', { content: 'y' })], session);
    expect(clash.status).toBe(400);
    expect(clash.messages[0]).toMatchObject({ id: 31, error: { code: -32600 } });
    server.openGate();
    expect((await first).messages[0]).toMatchObject({ id: 31 });
    const fresh = await post(server, [call(33, 'get-todos'), call(34, 'get-todos')], session);
    expect(fresh.status).toBe(200);
    expect(fresh.messages.map((m) => m.id).sort()).toEqual([33, 34]);
  });

  it('a cancelled request frees its id (the SDK never answers it)', async () => {
    const session = await openSession(server);
    server.closeGate();
    const abort = new AbortController();
    const first = post(server, call(41, 'get-todos'), session, abort.signal).catch((error: Error) => error);
    await server.listEntered();
    const cancelled = await post(server, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 41, reason: 'test' } }, session);
    expect(cancelled.status).toBe(202);
    server.openGate();
    const again = await post(server, call(41, 'get-todos'), session);
    expect(again.status).toBe(200);
    expect(again.messages[0]).toMatchObject({ id: 41, result: {} });
    abort.abort();
    expect(await first).toBeInstanceOf(Error);
  });

  it('a POST the transport refuses before reading it does not keep its id', async () => {
    const session = await openSession(server);
    server.openGate();
    const refused = await post(server, call(51, 'get-todos'), { ...session, accept: 'application/json' });
    expect(refused.status).toBe(406);
    const again = await post(server, call(51, 'get-todos'), session);
    expect(again.status).toBe(200);
    expect(again.messages[0]).toMatchObject({ id: 51 });
  });
});

describe('--stateless: every request has its own transport', { timeout: 20_000 }, () => {
  let server: GatedServer;
  beforeAll(async () => {
    server = await startGatedServer(true);
  });
  afterAll(() => server.close());

  it('two requests with one id at once are both answered (they cannot collide)', async () => {
    server.closeGate();
    const first = post(server, call(7, 'get-todos'));
    await server.listEntered();
    const second = post(server, call(7, 'get-todos'));
    server.openGate();
    const answers = await Promise.all([first, second]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.messages).toEqual([expect.objectContaining({ id: 7, result: expect.objectContaining({ structuredContent: { todos: [], scope: 'own' } }) })]);
    }
  });

  it('a batch repeating an id is refused with -32600 (the SDK would answer only one of them)', async () => {
    server.openGate();
    const batch = await post(server, [call(8, 'create-todo', { content: 'a' }), call(8, 'create-todo', { content: 'b' })]);
    expect(batch.status).toBe(400);
    expect(batch.messages).toEqual([{ jsonrpc: '2.0', id: 8, error: { code: -32600, message: expect.stringContaining('request id already in use') } }]);
    expect(await server.todos.list()).toEqual([]);
  });
});
