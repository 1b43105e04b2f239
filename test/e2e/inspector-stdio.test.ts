import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { loginCliUser, type CliUser } from './support/cli-user.js';
import { INSPECTOR_EXIT, runInspectorCli } from './support/inspector.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

/**
 * The MCP Inspector's CLI in stdio mode, the README's worked example of "Use it from any MCP host": it
 * starts `todo-mcp connect <url>` as its server process and speaks MCP over the bridge's stdin/stdout,
 * while the bridge brings alice's stored login to the protected server.
 */
let root: string;
let serve: ServeProcess;
let alice: CliUser;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-e2e-inspector-stdio-'));
  serve = await startServe({ dir: root });
  alice = await loginCliUser({ root, name: 'alice', mcpUrl: serve.mcpUrl });
});

afterAll(async () => {
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('MCP Inspector CLI (stdio) through todo-mcp connect', () => {
  it('inspector --cli node bin/todo-mcp.js connect <url> --method tools/list lists the three tools', async () => {
    const result = await runInspectorCli(
      ['node', BIN, 'connect', serve.mcpUrl, '-e', `TODO_MCP_HOME=${alice.env.TODO_MCP_HOME}`, '--method', 'tools/list', '--format', 'json', '-q'],
      { home: join(root, 'inspector-home') },
    );
    expect(result.code, result.stderr).toBe(INSPECTOR_EXIT.ok);
    const names = (JSON.parse(result.stdout).result.tools as Array<{ name: string }>).map((t) => t.name);
    expect(names.sort()).toEqual(['create-todo', 'delete-todo', 'get-todos']);
    // It went through the bridge to the protected server, as alice.
    expect(serve.requestLines().some((line) => line.startsWith('POST /mcp tools/list sub=alice 200'))).toBe(true);
  });

  it('tools/call create-todo through the bridge, as alice', async () => {
    const result = await runInspectorCli(
      ['node', BIN, 'connect', serve.mcpUrl, '-e', `TODO_MCP_HOME=${alice.env.TODO_MCP_HOME}`, '--method', 'tools/call', '--tool-name', 'create-todo', '--tool-arg', 'content=from the Inspector over stdio', '--format', 'json', '-q'],
      { home: join(root, 'inspector-home') },
    );
    expect(result.code, result.stderr).toBe(INSPECTOR_EXIT.ok);
    expect(JSON.parse(result.stdout).result.structuredContent).toMatchObject({ todo: { content: 'from the Inspector over stdio', ownerId: 'alice' } });
  });
});
