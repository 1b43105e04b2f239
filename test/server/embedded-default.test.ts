import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTodoServer, type RunningTodoServer } from '../../src/server/start-todo-server.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { loginWithPassword } from '../helpers/dev-auth-login.js';

/** The embedded default end to end: tokens from the real dev authorization server, RBAC enforced by the real server. */
let dir: string;
let server: RunningTodoServer;
const clients: Client[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-embedded-'));
  server = await startTodoServer({
    config: { port: 0, host: '127.0.0.1', resource: undefined, issuer: undefined, authPort: 0, dataFile: join(dir, 'todos.json'), allowedOrigins: [], stateless: false },
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function connectAs(username: keyof typeof DEV_PASSWORDS): Promise<{ client: Client; scope: string }> {
  const { tokens } = await loginWithPassword({
    issuer: server.issuer,
    username,
    password: DEV_PASSWORDS[username],
    resource: server.resource,
  });
  const client = new Client({ name: 'embedded-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${tokens.access_token}` } } }));
  clients.push(client);
  return { client, scope: tokens.scope ?? '' };
}

describe('embedded default: dev authorization server + resource server', () => {
  it('starts the dev server beside the MCP server and trusts it', () => {
    expect(server.devAuth).toBeDefined();
    expect(server.issuer).toBe(server.devAuth!.issuer);
    expect(server.issuer).toMatch(/^http:\/\/localhost:\d+\/oidc$/);
    expect(server.devAuth!.banner).toContain('DEVELOPMENT ONLY');
  });

  it('alice (User) creates and sees only her own; admin sees and deletes everyone\'s; bob cannot delete alice\'s', async () => {
    const alice = await connectAs('alice');
    const bob = await connectAs('bob');
    const admin = await connectAs('admin');
    expect(alice.scope.split(' ')).not.toContain('read:todos');
    expect(admin.scope.split(' ')).toEqual(expect.arrayContaining(['create:todos', 'read:todos', 'delete:todos']));

    const made = await alice.client.callTool({ name: 'create-todo', arguments: { content: 'buy milk' } });
    const aliceTodo = (made.structuredContent as { todo: { id: string; ownerId: string } }).todo;
    expect(aliceTodo.ownerId).toBe('alice');
    await bob.client.callTool({ name: 'create-todo', arguments: { content: 'bob thing' } });

    const aliceList = (await alice.client.callTool({ name: 'get-todos', arguments: {} })).structuredContent as { todos: Array<{ ownerId: string }> };
    expect(aliceList.todos.map((t) => t.ownerId)).toEqual(['alice']);

    const bobDelete = await bob.client.callTool({ name: 'delete-todo', arguments: { id: aliceTodo.id } });
    expect(bobDelete.isError).toBe(true);

    const all = (await admin.client.callTool({ name: 'get-todos', arguments: {} })).structuredContent as { todos: Array<{ ownerId: string }> };
    expect(all.todos.map((t) => t.ownerId).sort()).toEqual(['alice', 'bob']);
    const adminDelete = await admin.client.callTool({ name: 'delete-todo', arguments: { id: aliceTodo.id } });
    expect(adminDelete.isError).toBeFalsy();
  });
});
