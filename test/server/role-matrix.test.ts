import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const USER = 'create:todos';
const ADMIN = 'create:todos read:todos delete:todos';

interface TodoOut {
  id: string;
  content: string;
  ownerId: string;
  createdAt: string;
}

let t: TestServer;
let alice: Client;
let bob: Client;
let admin: Client;

beforeAll(async () => {
  t = await startTestServer();
  alice = await t.connect(await t.token('alice', USER));
  bob = await t.connect(await t.token('bob', USER));
  admin = await t.connect(await t.token('admin', ADMIN));
});
afterAll(() => t.close());

async function create(client: Client, content: string): Promise<TodoOut> {
  const r = await client.callTool({ name: 'create-todo', arguments: { content } });
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  return (r.structuredContent as { todo: TodoOut }).todo;
}

async function list(client: Client): Promise<TodoOut[]> {
  const r = await client.callTool({ name: 'get-todos', arguments: {} });
  expect(r.isError).toBeFalsy();
  return (r.structuredContent as { todos: TodoOut[] }).todos;
}

describe('role matrix over the SDK client', () => {
  it('lists exactly the three tools with schemas and annotations', async () => {
    const { tools } = await alice.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['create-todo', 'delete-todo', 'get-todos']);
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName['get-todos']!.annotations?.readOnlyHint).toBe(true);
    expect(byName['delete-todo']!.annotations?.destructiveHint).toBe(true);
    expect(byName['create-todo']!.outputSchema).toBeDefined();
    expect(byName['create-todo']!.inputSchema.required).toEqual(['content']);
  });

  it('User and Admin may create; ownerId is the token subject; ids are unguessable', async () => {
    const a = await create(alice, 'alice 1');
    const b = await create(bob, 'bob 1');
    const m = await create(admin, 'admin 1');
    expect([a.ownerId, b.ownerId, m.ownerId]).toEqual(['alice', 'bob', 'admin']);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(new Set([a.id, b.id, m.id]).size).toBe(3);
  });

  it('a User sees only their own todos; an Admin sees everyone\'s', async () => {
    const mine = await list(alice);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((todo) => todo.ownerId === 'alice')).toBe(true);
    const all = await list(admin);
    expect(new Set(all.map((todo) => todo.ownerId))).toEqual(new Set(['alice', 'bob', 'admin']));
  });

  it('a User deletes their own todo but not another\'s, and cannot tell it exists', async () => {
    const bobs = await create(bob, 'bob private');
    const attempt = await alice.callTool({ name: 'delete-todo', arguments: { id: bobs.id } });
    expect(attempt.isError).toBe(true);
    const missing = await alice.callTool({ name: 'delete-todo', arguments: { id: 'no-such-id' } });
    expect(missing.isError).toBe(true);
    // Same wording apart from the id itself: existence is not revealed.
    const text = (r: typeof attempt) => (r.content as Array<{ text: string }>)[0]!.text;
    expect(text(attempt).replace(bobs.id, 'X')).toBe(text(missing).replace('no-such-id', 'X'));
    expect((await list(bob)).some((todo) => todo.id === bobs.id)).toBe(true);

    const own = await create(alice, 'alice disposable');
    const deleted = await alice.callTool({ name: 'delete-todo', arguments: { id: own.id } });
    expect(deleted.isError).toBeFalsy();
    expect((deleted.structuredContent as { deleted: TodoOut }).deleted.id).toBe(own.id);
    expect((await list(alice)).some((todo) => todo.id === own.id)).toBe(false);
  });

  it('an Admin deletes anyone\'s todo', async () => {
    const bobs = await create(bob, 'bob for admin');
    const r = await admin.callTool({ name: 'delete-todo', arguments: { id: bobs.id } });
    expect(r.isError).toBeFalsy();
    expect((await list(bob)).some((todo) => todo.id === bobs.id)).toBe(false);
  });

  it('a token without create:todos gets 403 insufficient_scope with a step-up challenge', async () => {
    const reader = await t.token('carol', 'read:todos');
    const client = await t.connect(reader);
    await expect(client.callTool({ name: 'create-todo', arguments: { content: 'x' } })).rejects.toThrow(/403|insufficient_scope|Forbidden/i);
    // The wire response, checked directly.
    const init = await fetch(`http://localhost:${t.server.port}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'create-todo', arguments: { content: 'x' } } }),
    });
    expect(init.status).toBe(403);
    const challenge = init.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    // The challenge asks for the missing scope plus those already held (MCP 2025-11-25 step-up advice),
    // so a client that replaces its scopes with the challenge's keeps what it had.
    const scope = /(?:^|[ ,])scope="([^"]*)"/.exec(challenge)?.[1]?.split(' ') ?? [];
    expect(scope).toContain('create:todos');
    expect(scope).toContain('read:todos');
    expect(scope).not.toContain('delete:todos');
    expect(challenge).toContain('resource_metadata="');
    // read:todos alone still lets carol list everyone's todos.
    expect(new Set((await list(client)).map((todo) => todo.ownerId))).toEqual(new Set(['alice', 'bob', 'admin']));
  });

  it('input is validated with clear tool errors', async () => {
    for (const args of [{ content: '' }, { content: '   ' }, { content: 'x'.repeat(2_001) }, {}, { content: 42 }]) {
      const r = await alice.callTool({ name: 'create-todo', arguments: args as Record<string, unknown> });
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect((r.content as Array<{ text: string }>)[0]!.text.length).toBeGreaterThan(5);
    }
  });

  it('a session belongs to its user: another user\'s token on it is refused', async () => {
    const aliceSession = (alice as unknown as { _transport: { sessionId?: string } })._transport.sessionId;
    expect(aliceSession).toBeTruthy();
    const res = await fetch(`http://localhost:${t.server.port}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await t.token('bob', USER)}`,
        'mcp-session-id': aliceSession!,
        'mcp-protocol-version': '2025-11-25',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'get-todos', arguments: {} } }),
    });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('alice');
  });
});
