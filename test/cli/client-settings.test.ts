import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClientSettings, resolveHome, type LoginFlags } from '../../src/cli/client-settings.js';
import type { CliContext } from '../../src/cli/context.js';
import { DEFAULT_SERVER_URL, DEFAULTS } from '../../src/config/defaults.js';
import { settledOptions } from '../helpers/settled-options.js';

let dir: string;
let withConfig: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-settings-'));
  withConfig = await mkdtemp(join(dir, 'cfg-'));
  await writeFile(join(withConfig, 'todo-mcp.config.json'), JSON.stringify({ server: 'http://config:1/mcp', clientId: 'from-config', audience: 'cfg' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = (env: Record<string, string>): CliContext =>
  ({ env, cwd: dir, stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal }) as CliContext;

/** What `login` would receive, in-process. */
const login = (args: string[], env: Record<string, string> = {}, cwd = dir) => settledOptions(['login', ...args], { env, cwd });

describe('client settings: flag or argument > environment > config file > default', () => {
  it('server: argument > --server > TODO_MCP_SERVER > config "server" > http://localhost:3001/mcp', async () => {
    expect((await login([])).server).toBe(DEFAULT_SERVER_URL);
    expect(DEFAULT_SERVER_URL).toBe('http://localhost:3001/mcp');
    expect((await login([], {}, withConfig)).server).toBe('http://config:1/mcp');
    expect((await login([], { TODO_MCP_SERVER: 'http://env:1/mcp' }, withConfig)).server).toBe('http://env:1/mcp');
    expect((await login(['--server', 'http://flag:1/mcp'], { TODO_MCP_SERVER: 'http://env:1/mcp' }, withConfig)).server).toBe('http://flag:1/mcp');
    expect((await login(['http://arg:1/mcp'], { TODO_MCP_SERVER: 'http://env:1/mcp' }, withConfig)).server).toBe('http://arg:1/mcp');
    // The same server twice is fine; two different ones are a usage error, as is a URL that is not http(s).
    expect((await login(['http://a:1/mcp', '--server', 'http://a:1/mcp'])).server).toBe('http://a:1/mcp');
    await expect(login(['http://b:1/mcp', '--server', 'http://a:1/mcp'])).rejects.toMatchObject({ code: 'usage' });
    await expect(login(['--server', 'ftp://x'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(login(['ftp://x'])).rejects.toMatchObject({ code: 'usage' });
    await expect(login([], { TODO_MCP_SERVER: 'not a url' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('audience: --audience > TODO_MCP_AUDIENCE > config "audience" > none', async () => {
    expect((await login([])).audience).toBeUndefined();
    expect((await login([], {}, withConfig)).audience).toBe('cfg');
    expect((await login([], { TODO_MCP_AUDIENCE: 'env' }, withConfig)).audience).toBe('env');
    expect((await login(['--audience', 'flag'], { TODO_MCP_AUDIENCE: 'env' }, withConfig)).audience).toBe('flag');
  });

  it('login timeout: --timeout > TODO_MCP_LOGIN_TIMEOUT > 300 s; a malformed number is a usage error', async () => {
    expect((await login([])).timeout).toBe(DEFAULTS.loginTimeoutSeconds);
    expect((await login([], { TODO_MCP_LOGIN_TIMEOUT: '60' })).timeout).toBe(60);
    expect((await login(['--timeout', '2.5'], { TODO_MCP_LOGIN_TIMEOUT: '60' })).timeout).toBe(2.5);
    await expect(login(['--timeout', 'abc'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(login([], { TODO_MCP_LOGIN_TIMEOUT: '-1' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(login(['--redirect-port', '70000'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('call and tools: --timeout is the request deadline (60 s); the login wait is --login-timeout / TODO_MCP_LOGIN_TIMEOUT', async () => {
    const call = (args: string[], env: Record<string, string> = {}) => settledOptions(['call', 'get-todos', ...args], { env, cwd: dir });
    expect(await call([])).toMatchObject({ timeout: DEFAULTS.requestTimeoutSeconds, loginTimeout: DEFAULTS.loginTimeoutSeconds });
    expect(await call(['--timeout', '2'], { TODO_MCP_LOGIN_TIMEOUT: '30' })).toMatchObject({ timeout: 2, loginTimeout: 30 });
    expect(await settledOptions(['tools', '--login-timeout', '5'], { cwd: dir })).toMatchObject({ timeout: 60, loginTimeout: 5 });
    await expect(call(['--timeout', '0'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    // login's only wait is its --timeout: the flows get it as loginTimeout.
    expect(await login(['--timeout', '7'])).toMatchObject({ timeout: 7, loginTimeout: 7 });
  });

  it('a config file value goes through the same checks as a flag', async () => {
    const cwd = await mkdtemp(join(dir, 'bad-'));
    await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify({ server: 'ftp://config/mcp' }));
    await expect(login([], {}, cwd)).rejects.toMatchObject({ code: 'config_invalid' });
    // …but only when it is used: a flag above it wins without reading it twice.
    expect((await login(['--server', 'http://flag:1/mcp'], {}, cwd)).server).toBe('http://flag:1/mcp');
  });

  it('client id: --client-id > TODO_MCP_CLIENT_ID > config "clientId"; the secret only from the environment', async () => {
    const fromConfig = (await login([], { TODO_MCP_CLIENT_SECRET: 's' }, withConfig)) as unknown as LoginFlags;
    expect(fromConfig.clientId).toBe('from-config');
    expect(resolveClientSettings(fromConfig, ctx({ TODO_MCP_CLIENT_SECRET: 's' }))).toEqual({ clientId: 'from-config', clientSecret: 's', audience: 'cfg' });
    expect((await login(['--client-id', 'flag'], { TODO_MCP_CLIENT_ID: 'env' }, withConfig)).clientId).toBe('flag');
    expect((await login([], { TODO_MCP_CLIENT_ID: 'env' }, withConfig)).clientId).toBe('env');
  });

  it('home: TODO_MCP_HOME, else $XDG_CONFIG_HOME/todo-mcp, else ~/.config/todo-mcp', () => {
    expect(resolveHome({ TODO_MCP_HOME: '/a', XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/a');
    expect(resolveHome({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/todo-mcp');
    expect(resolveHome({ HOME: '/h' })).toBe('/h/.config/todo-mcp');
  });
});
