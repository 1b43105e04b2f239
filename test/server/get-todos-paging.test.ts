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
interface PageOut {
  todos: TodoOut[];
  scope: 'all' | 'own';
  nextCursor?: string;
}
interface ToolAnswer {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: unknown;
}

let t: TestServer;
let alice: Client;
let bob: Client;
let admin: Client;
const ALICE_TODOS = 130;

async function call(client: Client, args: Record<string, unknown>): Promise<ToolAnswer> {
  return (await client.callTool({ name: 'get-todos', arguments: args })) as ToolAnswer;
}

async function page(client: Client, args: Record<string, unknown> = {}): Promise<PageOut & { text: string }> {
  const answer = await call(client, args);
  expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
  return { ...(answer.structuredContent as PageOut), text: answer.content[0]?.text ?? '' };
}

/** Follows nextCursor to the end (bounded), returning every todo in the order received. */
async function everyPage(client: Client, limit: number, between: () => Promise<unknown> = async () => undefined): Promise<TodoOut[]> {
  const seen: TodoOut[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i += 1) {
    const current = await page(client, { limit, ...(cursor ? { cursor } : {}) });
    seen.push(...current.todos);
    await between();
    cursor = current.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('get-todos never stopped handing out cursors');
}

function expectInvalidCursor(answer: ToolAnswer): void {
  expect(answer.isError).toBe(true);
  expect(answer.content[0]?.text).toMatch(/^Input validation error: Invalid arguments for tool get-todos: cursor was not issued to you/);
}

beforeAll(async () => {
  t = await startTestServer();
  alice = await t.connect(await t.token('alice', USER));
  bob = await t.connect(await t.token('bob', USER));
  admin = await t.connect(await t.token('admin', ADMIN));
  await Promise.all(Array.from({ length: ALICE_TODOS }, (_, i) => alice.callTool({ name: 'create-todo', arguments: { content: `alice ${i}` } })));
  await Promise.all(Array.from({ length: 20 }, (_, i) => bob.callTool({ name: 'create-todo', arguments: { content: `bob ${i}` } })));
});
afterAll(() => t.close());

describe('get-todos pages', () => {
  it('declares limit and cursor (both optional) and nextCursor in its schemas', async () => {
    const { tools } = await alice.listTools();
    const tool = tools.find((candidate) => candidate.name === 'get-todos')!;
    const input = tool.inputSchema as { properties: Record<string, Record<string, unknown>>; required?: string[] };
    expect(input.properties.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(input.properties.cursor).toMatchObject({ type: 'string' });
    expect(input.required ?? []).toEqual([]);
    const output = tool.outputSchema as { properties: Record<string, Record<string, unknown>>; required?: string[] };
    expect(output.properties.nextCursor).toMatchObject({ type: 'string' });
    expect(output.required).not.toContain('nextCursor');
  });

  it('answers a call without arguments with the first 100, and says in text and structure where to go on', async () => {
    const first = await page(alice);
    expect(first.scope).toBe('own');
    expect(first.todos).toHaveLength(100);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(first.text.split('\n')).toHaveLength(101);
    expect(first.text.split('\n').at(-1)).toBe(`More todos follow; nextCursor: ${first.nextCursor}`);
    const rest = await page(alice, { cursor: first.nextCursor });
    expect(rest.todos).toHaveLength(ALICE_TODOS - 100);
    expect(rest.nextCursor).toBeUndefined();
    expect(rest.text).not.toContain('nextCursor');
  });

  it('walks a user through exactly their own todos, once each, in order', async () => {
    const seen = await everyPage(alice, 7);
    expect(seen).toHaveLength(ALICE_TODOS);
    expect(new Set(seen.map((todo) => todo.id)).size).toBe(ALICE_TODOS);
    for (const todo of seen) expect(todo.ownerId).toBe('alice');
    const keys = seen.map((todo) => `${todo.createdAt} ${todo.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('walks an Admin through everyone’s todos', async () => {
    const seen = await everyPage(admin, 1000);
    expect(seen.filter((todo) => todo.ownerId === 'bob')).toHaveLength(20);
    expect(seen.filter((todo) => todo.ownerId === 'alice')).toHaveLength(ALICE_TODOS);
  });

  it('neither repeats nor skips while others create and delete between pages', async () => {
    const before = await everyPage(bob, 1000);
    const doomed = new Set(before.slice(-3).map((todo) => todo.id));
    let round = 0;
    const seen = await everyPage(bob, 4, async () => {
      round += 1;
      await Promise.all([
        bob.callTool({ name: 'create-todo', arguments: { content: `bob during ${round}` } }),
        alice.callTool({ name: 'create-todo', arguments: { content: `alice during ${round}` } }),
        ...(round === 1 ? [...doomed].map((id) => admin.callTool({ name: 'delete-todo', arguments: { id } })) : []),
      ]);
    });
    const ids = seen.map((todo) => todo.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const todo of before) if (!doomed.has(todo.id)) expect(ids).toContain(todo.id);
    for (const id of doomed) expect(ids).not.toContain(id);
    for (const todo of seen) expect(todo.ownerId).toBe('bob');
  });

  it('refuses a cursor that was changed, made for someone else, or for another listing', async () => {
    const alices = (await page(alice, { limit: 5 })).nextCursor!;
    const admins = (await page(admin, { limit: 5 })).nextCursor!;
    // Bob holding alice's cursor gets an error, never her todos; likewise an Admin's cursor in a User's hands.
    expectInvalidCursor(await call(bob, { cursor: alices }));
    expectInvalidCursor(await call(alice, { cursor: admins }));
    expectInvalidCursor(await call(admin, { cursor: alices }));
    const [payload, mac] = alices.split('.') as [string, string];
    const flipped = (text: string) => `${text.slice(0, -2)}${text.at(-2) === 'A' ? 'B' : 'A'}${text.at(-1)}`;
    expectInvalidCursor(await call(alice, { cursor: `${flipped(payload)}.${mac}` }));
    expectInvalidCursor(await call(alice, { cursor: `${payload}.${flipped(mac)}` }));
    expectInvalidCursor(await call(alice, { cursor: `${payload}` }));
    expectInvalidCursor(await call(alice, { cursor: 'not a cursor' }));
    // A position of the caller's choosing, even well-formed, is refused without the MAC.
    const forged = Buffer.from(`2000-01-01T00:00:00.000Z\n00000000-0000-4000-8000-000000000000`).toString('base64url');
    expectInvalidCursor(await call(alice, { cursor: `${forged}.${mac}` }));
    // The cursor itself still works for alice.
    expect((await page(alice, { limit: 5, cursor: alices })).todos).toHaveLength(5);
  });

  it('refuses a limit outside 1–1000 as invalid arguments', async () => {
    for (const limit of [0, 1001, 2.5]) {
      const answer = await call(alice, { limit });
      expect(answer.isError).toBe(true);
      expect(answer.content[0]?.text).toMatch(/Input validation error/);
    }
    const all = await page(alice, { limit: 1000 });
    expect(all.nextCursor).toBeUndefined();
    expect(all.todos).toEqual(await everyPage(alice, 50));
  });

  it('refuses, after a restart of the JSON store, a cursor from before it', async () => {
    const cursor = (await page(alice, { limit: 5 })).nextCursor!;
    await t.restart();
    const again = await t.connect(await t.token('alice', USER));
    expectInvalidCursor(await call(again, { cursor }));
    expect((await page(again, { limit: 5 })).todos).toHaveLength(5);
  });
});
