import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { startClientFixture, type CliUser, type ClientFixture } from '../helpers/browser-login-fixture.js';

let fx: ClientFixture;
let alice: CliUser;
let bob: CliUser;
let admin: CliUser;

beforeAll(async () => {
  fx = await startClientFixture();
  [alice, bob, admin] = await Promise.all([fx.user('alice'), fx.user('bob'), fx.user('admin')]);
});
afterAll(async () => {
  await fx?.close();
});

interface Todo {
  id: string;
  content: string;
  ownerId: string;
}

async function todosOf(user: CliUser): Promise<Todo[]> {
  const result = await user.cli(['call', 'get-todos', '--json', '--no-login', '--server', fx.server.mcpUrl]);
  expect(result.code, result.stderr).toBe(EXIT.ok);
  return (JSON.parse(result.stdout) as { structuredContent: { todos: Todo[] } }).structuredContent.todos;
}

describe('todo-mcp call against the embedded default', { timeout: 120_000 }, () => {
  it('logs in inline on first use, then creates a todo with typed key=value arguments', async () => {
    // The binary, as a user runs it (the wiring of `call`); the rest of this file runs the CLI in-process.
    const result = await alice.cli(['call', 'create-todo', 'content=Buy milk', fx.server.mcpUrl], { spawn: true });
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stderr).toContain(`Not logged in to ${fx.server.mcpUrl}; logging in.`);
    expect(result.stderr).toMatch(/Logged in to .* as alice/);
    expect(result.stdout).toMatch(/^Created todo \S+ {2}Buy milk$/m);
    expect(alice.relay.opened).toHaveLength(1);
    expect(alice.relay.failures).toEqual([]);
    // A number-looking value stays a string: the tool's schema says string.
    const numeric = await alice.cli(['call', 'create-todo', 'content=42', '--no-login', '--json', '--server', fx.server.mcpUrl]);
    expect(numeric.code, numeric.stderr).toBe(EXIT.ok);
    expect(JSON.parse(numeric.stdout).structuredContent.todo.content).toBe('42');
    expect(alice.relay.opened).toHaveLength(1);
  });

  it('get-todos shows only the caller\'s own todos; admin sees all and deletes bob\'s; bob cannot delete alice\'s', async () => {
    const created = await bob.cli(['call', 'create-todo', '--args', '{"content":"Bob\'s todo"}', '--json', '--server', fx.server.mcpUrl]);
    expect(created.code, created.stderr).toBe(EXIT.ok);
    const bobTodo = JSON.parse(created.stdout).structuredContent.todo as Todo;

    const aliceTodos = await todosOf(alice);
    expect(aliceTodos.map((t) => t.content).sort()).toEqual(['42', 'Buy milk']);
    expect(aliceTodos.every((t) => t.ownerId === 'alice')).toBe(true);

    const table = await alice.cli(['call', 'get-todos', '--no-login', '--server', fx.server.mcpUrl]);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+CONTENT\s+OWNERID\s+CREATEDAT$/);
    expect(table.stdout).toMatch(/Buy milk\s+alice/);
    expect(table.stdout).not.toContain("Bob's todo");

    const aliceTodo = aliceTodos.find((t) => t.content === 'Buy milk')!;
    const refused = await bob.cli(['call', 'delete-todo', `id=${aliceTodo.id}`, '--no-login', '--server', fx.server.mcpUrl]);
    expect(refused.code).toBe(EXIT.toolError);
    expect(refused.stderr).toContain('delete-todo failed: No todo with id');
    expect((await todosOf(alice)).map((t) => t.id)).toContain(aliceTodo.id);

    await admin.cli(['login', fx.server.mcpUrl]);
    const all = await todosOf(admin);
    expect(all.map((t) => t.ownerId).sort()).toEqual(['alice', 'alice', 'bob']);
    const deleted = await admin.cli(['call', 'delete-todo', `id=${bobTodo.id}`, '--no-login', '--server', fx.server.mcpUrl]);
    expect(deleted.code, deleted.stderr).toBe(EXIT.ok);
    expect(deleted.stdout).toContain(`Deleted todo ${bobTodo.id}`);
    expect(await todosOf(bob)).toEqual([]);
  });

  it('reports usage errors with exit 2: unknown tool, missing or mistyped argument, bad --args', async () => {
    const unknown = await alice.cli(['call', 'no-such-tool', '--no-login', '--server', fx.server.mcpUrl]);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain('has no tool "no-such-tool". Its tools: create-todo, get-todos, delete-todo');
    const missing = await alice.cli(['call', 'create-todo', '--no-login', '--server', fx.server.mcpUrl]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/Missing required argument:\n\s+content=…\s+\(string\)/);
    const notPair = await alice.cli(['call', 'create-todo', 'milk', '--no-login', '--server', fx.server.mcpUrl]);
    expect(notPair.code).toBe(EXIT.usage);
    const badJson = await alice.cli(['call', 'create-todo', '--args', '{nope', '--no-login', '--server', fx.server.mcpUrl]);
    expect(badJson.code).toBe(EXIT.usage);
    expect(badJson.stderr).toContain('--args is not valid JSON');
  });

  it('fails fast with --no-login when not logged in (exit 3), and with exit 5 when the server is down', async () => {
    const stranger = await fx.user('bob');
    const result = await stranger.cli(['call', 'get-todos', '--no-login', '--server', fx.server.mcpUrl]);
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toContain(`Not logged in to ${fx.server.mcpUrl}.\nLog in with: todo-mcp login ${fx.server.mcpUrl}`);
    expect(stranger.relay.opened).toHaveLength(0);

    const down = await stranger.cli(['call', 'get-todos', '--server', 'http://127.0.0.1:1/mcp']);
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.stderr).toContain('Cannot reach http://127.0.0.1:1/mcp');
  });
});
