import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { loginCliUser, type CliUser } from './support/cli-user.js';
import { INSPECTOR_BIN, INSPECTOR_EXIT, inspectorEnv, runInspectorCli, type InspectorCliResult } from './support/inspector.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

/**
 * The MCP Inspector's CLI against `todo-mcp serve`, with tokens from `todo-mcp login` / `todo-mcp token`
 * exactly as the README pipes them: `--header "Authorization: Bearer $(todo-mcp token)"`.
 */
interface Todo {
  id: string;
  content: string;
  ownerId: string;
}

let root: string;
let serve: ServeProcess;
let alice: CliUser;
let admin: CliUser;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-e2e-inspector-cli-'));
  serve = await startServe({ dir: root });
  alice = await loginCliUser({ root, name: 'alice', mcpUrl: serve.mcpUrl });
  admin = await loginCliUser({ root, name: 'admin', mcpUrl: serve.mcpUrl });
});

afterAll(async () => {
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** `inspector --cli <url> --transport http --header "Authorization: Bearer <token>" --format json -q …args`. */
async function inspect(token: string, args: string[]): Promise<InspectorCliResult & { json: () => any }> {
  const result = await runInspectorCli(
    [serve.mcpUrl, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, '--stored-auth-only', '--format', 'json', '-q', ...args],
    { home: join(root, 'inspector-home') },
  );
  return { ...result, json: () => JSON.parse(result.code === 0 || result.code === INSPECTOR_EXIT.toolError ? result.stdout : result.stderr) };
}

const callTool = (token: string, name: string, args: Record<string, unknown> = {}) =>
  inspect(token, ['--method', 'tools/call', '--tool-name', name, '--tool-args-json', JSON.stringify(args)]);

describe('MCP Inspector CLI against todo-mcp serve', () => {
  it('runs the README line verbatim in a shell: --header "Authorization: Bearer $(todo-mcp token)" --method tools/list', async () => {
    // `todo-mcp` on PATH as after `npm link`/`npm install -g`, and a real shell doing the substitution.
    const bin = join(root, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(BIN, join(bin, 'todo-mcp'));
    await symlink(INSPECTOR_BIN, join(bin, 'inspector'));
    const line = `inspector --cli ${serve.mcpUrl} --transport http --header "Authorization: Bearer $(todo-mcp token)" --method tools/list --format json -q`;
    const home = join(root, 'inspector-home');
    await mkdir(home, { recursive: true });
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', line], { cwd: root, env: { ...inspectorEnv(home), ...alice.env, PATH: `${bin}:${process.env.PATH}` } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(result.code, result.stderr).toBe(INSPECTOR_EXIT.ok);
    const names = (JSON.parse(result.stdout).result.tools as Array<{ name: string }>).map((t) => t.name);
    expect(names.sort()).toEqual(['create-todo', 'delete-todo', 'get-todos']);
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requests().some((r) => r.method === 'POST' && r.rpc === 'tools/list' && r.sub === 'alice' && r.status === 200)).toBe(true), { timeout: 3_000 });
  });

  it('tools/call as alice and admin: each sees what their role allows', async () => {
    const [aliceToken, adminToken] = [await alice.token(), await admin.token()];

    const made = await callTool(aliceToken, 'create-todo', { content: 'alice: from the Inspector CLI' });
    expect(made.code, made.stderr).toBe(INSPECTOR_EXIT.ok);
    const aliceTodo = made.json().result.structuredContent.todo as Todo;
    expect(aliceTodo).toMatchObject({ content: 'alice: from the Inspector CLI', ownerId: 'alice' });

    const adminMade = await callTool(adminToken, 'create-todo', { content: 'admin: review' });
    expect(adminMade.code, adminMade.stderr).toBe(INSPECTOR_EXIT.ok);
    const adminTodo = adminMade.json().result.structuredContent.todo as Todo;

    const aliceList = await callTool(aliceToken, 'get-todos');
    expect(aliceList.code).toBe(INSPECTOR_EXIT.ok);
    expect(aliceList.json().result.structuredContent).toEqual({ todos: [aliceTodo], scope: 'own' });

    // alice may not delete someone else's todo: the tool answers isError, the Inspector exits 5.
    const refused = await callTool(aliceToken, 'delete-todo', { id: adminTodo.id });
    expect(refused.code).toBe(INSPECTOR_EXIT.toolError);

    const adminList = await callTool(adminToken, 'get-todos');
    expect(adminList.code).toBe(INSPECTOR_EXIT.ok);
    const all = adminList.json().result.structuredContent as { todos: Todo[]; scope: string };
    expect(all.scope).toBe('all');
    expect(all.todos.map((t) => t.id).sort()).toEqual([aliceTodo.id, adminTodo.id].sort());

    const deleted = await callTool(adminToken, 'delete-todo', { id: aliceTodo.id });
    expect(deleted.code, deleted.stderr).toBe(INSPECTOR_EXIT.ok);
    expect(deleted.json().result.structuredContent.deleted).toMatchObject({ id: aliceTodo.id, ownerId: 'alice' });
  });

  it('exits with auth_required (3) for a bad token and for no token, never starting a login', async () => {
    const aliceToken = await alice.token();
    // Same header and payload, signature of another token: only signature checking can refuse it.
    const [header, payload] = aliceToken.split('.');
    const forged = `${header}.${payload}.${(await admin.token()).split('.')[2]}`;
    for (const token of ['not-a-jwt', forged]) {
      const result = await inspect(token, ['--method', 'tools/list']);
      expect(result.code, `${token.slice(0, 12)}…: ${result.stderr}`).toBe(INSPECTOR_EXIT.authRequired);
      expect(result.json().error.code).toBe('auth_required');
    }
    const none = await runInspectorCli([serve.mcpUrl, '--transport', 'http', '--stored-auth-only', '--method', 'tools/list', '--format', 'json', '-q'], {
      home: join(root, 'inspector-home'),
    });
    expect(none.code).toBe(INSPECTOR_EXIT.authRequired);
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requests().filter((r) => r.sub === undefined && r.status === 401).length).toBeGreaterThanOrEqual(3), { timeout: 3_000 });
  });
});
