import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePages, nextPageCommand } from '../../src/cli/call-pages.js';
import { EXIT } from '../../src/cli/cli-error.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { BIN } from '../helpers/run-cli.js';
import { storeLogin } from '../helpers/stored-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const TODOS = 250;

let fx: TestServer;
let dir: string;
let home: string;

// In-process (the binary runs the printed hint, through a shell, below).
const cli = (args: string[]) => runCliInProcess(args, { env: { TODO_MCP_HOME: home, TODO_MCP_CONFIG: undefined }, cwd: dir, timeoutMs: 30_000 });

/** The table's data rows (the header is the first line). */
const rows = (stdout: string) => stdout.trimEnd().split('\n').slice(1);
const contentsOf = (stdout: string) => rows(stdout).map((row) => /\s(alice \d+)\s/.exec(row)?.[1]);

/** The hint's command, run through a real shell exactly as printed (with this checkout's CLI as `todo-mcp`). */
function runHint(stderr: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = /^more: (todo-mcp call .*?)(?: {3}\(or add --all for every page\))?$/m.exec(stderr)?.[1];
  if (!command) throw new Error(`no "more:" hint in:\n${stderr}`);
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1', TODO_MCP_HOME: home, PATH: `${join(dir, 'bin')}:${process.env.PATH}` }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  fx = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-call-pages-'));
  home = join(dir, 'home');
  // `todo-mcp` on the PATH, as an installed package puts it there.
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin', 'todo-mcp'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  const token = await storeLogin(fx, home, 'alice', ['create:todos']);
  const client = await fx.connect(token);
  await Promise.all(Array.from({ length: TODOS }, (_, i) => client.callTool({ name: 'create-todo', arguments: { content: `alice ${String(i).padStart(3, '0')}` } })));
  // The page order, as the server lists it in one go: what the pages must add up to.
  const listed = await client.callTool({ name: 'get-todos', arguments: { limit: 1000 } });
  inOrder = (listed.structuredContent as { todos: Array<{ content: string }> }).todos.map((todo) => todo.content);
  expect(inOrder).toHaveLength(TODOS);
});
afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let inOrder: string[];
const names = (from: number, to: number) => inOrder.slice(from, to);

describe('todo-mcp call on a paged tool (get-todos)', { timeout: 120_000 }, () => {
  it('shows the first page and a "more:" hint whose command, run as printed, shows the next page', async () => {
    const first = await cli(['call', 'get-todos', '--server', fx.server.mcpUrl, '--no-login']);
    expect(first.code, first.stderr).toBe(EXIT.ok);
    expect(contentsOf(first.stdout)).toEqual(names(0, 100));
    expect(first.stdout).not.toContain('more:');
    expect(first.stderr).toMatch(/^more: todo-mcp call get-todos cursor=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+ --server \S+ --no-login {3}\(or add --all for every page\)$/m);

    const second = await runHint(first.stderr);
    expect(second.code, second.stderr).toBe(0);
    expect(contentsOf(second.stdout)).toEqual(names(100, 200));
    const third = await runHint(second.stderr);
    expect(contentsOf(third.stdout)).toEqual(names(200, 250));
    expect(third.stderr).not.toContain('more:');
  });

  it('keeps the other arguments in the hint, and names the server however it was given (here as the last word)', async () => {
    const first = await cli(['call', 'get-todos', 'limit=30', fx.server.mcpUrl, '--no-login']);
    expect(contentsOf(first.stdout)).toEqual(names(0, 30));
    expect(first.stderr).toMatch(new RegExp(`^more: todo-mcp call get-todos limit=30 cursor=\\S+ --server ${fx.server.mcpUrl.replaceAll('.', '\\.')} --no-login`, 'm'));
    const second = await runHint(first.stderr);
    expect(contentsOf(second.stdout)).toEqual(names(30, 60));
  });

  it('--all follows every cursor and shows all the todos in one table, without a hint', async () => {
    const all = await cli(['call', 'get-todos', '--all', '--server', fx.server.mcpUrl, '--no-login']);
    expect(all.code, all.stderr).toBe(EXIT.ok);
    expect(contentsOf(all.stdout)).toEqual(names(0, TODOS));
    expect(all.stderr).toBe('');
    // A small limit means more pages, still all of them, in order.
    const small = await cli(['call', 'get-todos', 'limit=7', '--all', '--server', fx.server.mcpUrl, '--no-login']);
    expect(contentsOf(small.stdout)).toEqual(names(0, TODOS));
  });

  it('--all --json prints every page as the server sent it', async () => {
    const json = await cli(['call', 'get-todos', 'limit=100', '--all', '--json', '--server', fx.server.mcpUrl, '--no-login']);
    expect(json.code, json.stderr).toBe(EXIT.ok);
    const pages = JSON.parse(json.stdout) as Array<{ structuredContent: { todos: unknown[]; nextCursor?: string } }>;
    expect(pages.map((page) => page.structuredContent.todos.length)).toEqual([100, 100, 50]);
    expect(pages.map((page) => typeof page.structuredContent.nextCursor)).toEqual(['string', 'string', 'undefined']);
  });

  it('exits 1 with the server’s words for a cursor that is not valid', async () => {
    const bad = await cli(['call', 'get-todos', 'cursor=forged.cursor', '--server', fx.server.mcpUrl, '--no-login']);
    expect(bad.code).toBe(EXIT.toolError);
    expect(bad.stderr).toContain('get-todos failed: Input validation error: Invalid arguments for tool get-todos: cursor was not issued to you');
  });
});

describe('the pieces of paging in the CLI', () => {
  it('quotes what a shell would otherwise split or expand', () => {
    const command = nextPageCommand({
      tool: 'get-todos',
      pairs: ['limit=5', 'cursor=old', "note=it's $HOME"],
      cursor: 'abc.def',
      server: 'http://127.0.0.1:9/mcp?x=1&y=2',
      options: { config: '/tmp/my config.json', login: false },
    });
    expect(command).toBe(
      `todo-mcp call get-todos limit=5 'note=it'\\''s $HOME' cursor=abc.def --server 'http://127.0.0.1:9/mcp?x=1&y=2' --config '/tmp/my config.json' --no-login`,
    );
  });

  it('merges pages into one list, keeping the other fields of the first and dropping its cursor', () => {
    const page = (todos: unknown[], nextCursor?: string): CallToolResult => ({
      content: [{ type: 'text', text: 'x' }],
      structuredContent: { todos, scope: 'own', ...(nextCursor ? { nextCursor } : {}) },
    });
    const merged = mergePages([page([{ id: 1 }], 'a'), page([{ id: 2 }, { id: 3 }], 'b'), page([{ id: 4 }])]);
    expect(merged.structuredContent).toEqual({ todos: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }], scope: 'own' });
  });
});
