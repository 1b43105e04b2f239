import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { signInWithForm, startBrowserRelay } from '../helpers/browser-relay.js';
import { BIN } from '../helpers/run-cli.js';
import { loginCliUser, type CliUser } from './support/cli-user.js';
import { INSPECTOR_BIN, INSPECTOR_EXIT, inspectorEnv, runInspectorCli } from './support/inspector.js';
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
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requestLines().some((line) => line.startsWith('POST /mcp tools/list sub=alice 200'))).toBe(true), { timeout: 3_000 });
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

/** The fences of README.md's "Use it from any MCP host" section, by language. */
async function readmeSection(): Promise<{ json: string; sh: string[] }> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Use it from any MCP host'))!;
  const fence = (lang: string) => new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section)![1]!;
  return { json: fence('json'), sh: fence('sh').trim().split('\n') };
}

describe('README: Use it from any MCP host', () => {
  it('the host config snippet starts the bridge: its args, after the package name, list the tools', async () => {
    const { json } = await readmeSection();
    const entry = Object.values((JSON.parse(json) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers)[0]!;
    expect(entry.command).toBe('npx');
    expect(entry.args.slice(0, 2)).toEqual(['todo-mcp', 'connect']);
    // `npx todo-mcp` is this checkout's bin; the URL is this test server's.
    const args = entry.args.slice(1).map((arg) => (arg === 'http://localhost:3001/mcp' ? serve.mcpUrl : arg));
    const client = new Client({ name: 'readme-host', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env: { TODO_MCP_HOME: alice.env.TODO_MCP_HOME! }, stderr: 'pipe' }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['create-todo', 'delete-todo', 'get-todos']);
    } finally {
      await client.close();
    }
  });

  it('runs the worked example verbatim in a shell: todo-mcp login, then the Inspector in stdio mode through npx todo-mcp connect', async () => {
    const { sh } = await readmeSection();
    expect(sh).toHaveLength(2);
    // A user's machine: todo-mcp's login in $HOME, `npx` running this checkout's todo-mcp and the pinned Inspector.
    const home = join(root, 'readme-user');
    const bin = join(home, 'bin');
    await mkdir(bin, { recursive: true });
    const npx = join(bin, 'npx');
    await writeFile(
      npx,
      [
        '#!/bin/sh',
        'case "$1" in',
        `  todo-mcp) shift; exec "${process.execPath}" "${BIN}" "$@";;`,
        `  @modelcontextprotocol/inspector) shift; exec "${process.execPath}" "${INSPECTOR_BIN}" "$@";;`,
        '  *) echo "npx stand-in: unexpected package $1" >&2; exit 127;;',
        'esac',
        '',
      ].join('\n'),
    );
    await chmod(npx, 0o755);
    const relay = await startBrowserRelay(signInWithForm({ username: 'alice', password: DEV_PASSWORDS.alice }));
    try {
      const env: NodeJS.ProcessEnv = { ...inspectorEnv(home), ...relay.env, PATH: `${bin}:${process.env.PATH}` };
      for (const key of ['TODO_MCP_HOME', 'XDG_CONFIG_HOME', 'TODO_MCP_SERVER', 'TODO_MCP_CONFIG']) delete env[key];
      const results = [];
      for (const line of sh) {
        const command = line.replace(/\s+#.*$/, '').replaceAll('http://localhost:3001/mcp', serve.mcpUrl);
        results.push(await shell(command, { cwd: home, env }));
      }
      const [login, inspector] = results as [ShellResult, ShellResult];
      expect(login.code, login.stderr).toBe(0);
      expect(inspector.code, inspector.stderr).toBe(INSPECTOR_EXIT.ok);
      for (const name of ['create-todo', 'get-todos', 'delete-todo']) expect(inspector.stdout).toContain(name);
      // One browser sign-in, by the login line; the bridge used the stored token.
      expect(relay.opened).toHaveLength(1);
    } finally {
      await relay.close();
    }
  });
});

interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function shell(line: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
