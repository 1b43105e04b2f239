import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('todo-mcp tools', { timeout: 120_000 }, () => {
  it('lists names, descriptions and arguments (logging in first when needed), and the schemas with --json', async () => {
    const bob = await fx.user('bob');
    // The binary, as a user runs it (the wiring of `tools`); the rest of this file runs the CLI in-process.
    const listed = await bob.cli(['tools', fx.server.mcpUrl], { spawn: true });
    expect(listed.code, listed.stderr).toBe(EXIT.ok);
    expect(listed.stderr).toContain('logging in');
    expect(listed.stdout).toMatch(/^create-todo\n {2}Create a new todo owned by the caller\. Needs the create:todos scope\.\n {2}arguments:\n {4}content=<string> {2}The todo text/m);
    expect(listed.stdout).toMatch(/^get-todos\n.*\n {2}arguments:\n {4}limit=<integer> \(optional\) {2}Most todos to return \(1–1000; default 100\)\.\n {4}cursor=<string> \(optional\) {2}The nextCursor of the previous page/m);
    expect(listed.stdout).toMatch(/^delete-todo\n[\s\S]*id=<string> {2}The id of the todo to delete\./m);

    const json = await bob.cli(['tools', '--json', '--no-login', '--server', fx.server.mcpUrl]);
    expect(json.code, json.stderr).toBe(EXIT.ok);
    const tools = JSON.parse(json.stdout) as Array<{ name: string; inputSchema: { properties?: Record<string, { type: string }>; required?: string[] } }>;
    expect(tools.map((t) => t.name)).toEqual(['create-todo', 'get-todos', 'delete-todo']);
    expect(tools[0]!.inputSchema).toMatchObject({ properties: { content: { type: 'string' } }, required: ['content'] });
    expect(bob.relay.opened).toHaveLength(1);
  });

  it('with --no-login and no token: exit 3 and the command to log in', async () => {
    const nobody = await fx.user('alice');
    const result = await nobody.cli(['tools', '--no-login', fx.server.mcpUrl]);
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toContain(`Log in with: todo-mcp login ${fx.server.mcpUrl}`);
    expect(result.stdout).toBe('');
  });
});
