import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClientEnvironment, resolveClientSettings, resolveHome } from '../../src/cli/client-settings.js';
import type { CliContext } from '../../src/cli/context.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = (env: Record<string, string>, cwd = dir): CliContext =>
  ({ env, cwd, stdout: process.stdout, stderr: process.stderr, stopSignal: new Promise(() => undefined) }) as CliContext;

describe('client settings', () => {
  it('audience: --audience > TODO_MCP_AUDIENCE > config "audience" > none', () => {
    expect(resolveClientSettings({}, ctx({}), {})).toEqual({});
    expect(resolveClientSettings({}, ctx({}), { audience: 'cfg' })).toEqual({ audience: 'cfg' });
    expect(resolveClientSettings({}, ctx({ TODO_MCP_AUDIENCE: 'env' }), { audience: 'cfg' })).toEqual({ audience: 'env' });
    expect(resolveClientSettings({ audience: 'flag' }, ctx({ TODO_MCP_AUDIENCE: 'env' }), { audience: 'cfg' })).toEqual({ audience: 'flag' });
  });

  it('home: TODO_MCP_HOME, else $XDG_CONFIG_HOME/todo-mcp, else ~/.config/todo-mcp', () => {
    expect(resolveHome({ TODO_MCP_HOME: '/a', XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/a');
    expect(resolveHome({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/todo-mcp');
    expect(resolveHome({ HOME: '/h' })).toBe('/h/.config/todo-mcp');
  });

  it('server: argument > --server > TODO_MCP_SERVER > config "server" > http://localhost:3001/mcp', async () => {
    const cwd = await mkdtemp(join(dir, 'cfg-'));
    expect((await resolveClientEnvironment({}, ctx({}, cwd))).serverUrl).toBe('http://localhost:3001/mcp');
    await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify({ server: 'http://config:1/mcp', clientId: 'from-config' }));
    const fromConfig = await resolveClientEnvironment({}, ctx({}, cwd));
    expect(fromConfig.serverUrl).toBe('http://config:1/mcp');
    expect((await resolveClientEnvironment({}, ctx({ TODO_MCP_SERVER: 'http://env:1/mcp' }, cwd))).serverUrl).toBe('http://env:1/mcp');
    expect((await resolveClientEnvironment({ server: 'http://flag:1/mcp' }, ctx({ TODO_MCP_SERVER: 'http://env:1/mcp' }, cwd))).serverUrl).toBe('http://flag:1/mcp');
    expect((await resolveClientEnvironment({}, ctx({}, cwd), 'http://arg:1/mcp')).serverUrl).toBe('http://arg:1/mcp');
    await expect(resolveClientEnvironment({ server: 'http://a:1/mcp' }, ctx({}, cwd), 'http://b:1/mcp')).rejects.toMatchObject({ code: 'usage' });
    await expect(resolveClientEnvironment({ server: 'ftp://x' }, ctx({}, cwd))).rejects.toMatchObject({ code: 'usage' });
    // The client id comes from the config too; the secret only from the environment.
    expect(resolveClientSettings({}, ctx({ TODO_MCP_CLIENT_SECRET: 's' }), fromConfig.config)).toEqual({ clientId: 'from-config', clientSecret: 's' });
    expect(resolveClientSettings({ clientId: 'flag' }, ctx({ TODO_MCP_CLIENT_ID: 'env' }), fromConfig.config)).toEqual({ clientId: 'flag' });
  });
});
