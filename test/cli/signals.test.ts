import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile, chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';
import { launchCli, type CliProcess } from '../helpers/cli-process.js';
import { storeEntry } from '../helpers/stored-login.js';

/*
 * Issue 13: Ctrl-C (SIGINT) and SIGTERM end every command within a second, with 130/143 and one line
 * saying what was interrupted, and clean up: the redirect listener closed, the lock released, the token
 * file as it was, no browser command left running. Real processes, real servers on 127.0.0.1.
 */

const FILE_LOCK = fileURLToPath(new URL('../../dist/fs/file-lock.js', import.meta.url));

let fx: ClientFixture;
let dir: string;
const running: Array<{ kill(): void }> = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fx = await startClientFixture();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-signals-'));
});
afterEach(async () => {
  for (const process of running.splice(0)) process.kill();
  while (closers.length > 0) await closers.pop()!();
});
afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function launch(args: string[], env: Record<string, string | undefined>): CliProcess {
  const cli = launchCli(args, { env: { BROWSER: '', ...env } });
  running.push(cli);
  return cli;
}

let homes = 0;
/** A fresh todo-mcp home holding a login for another server, so there is a token file to keep intact. */
async function homeWithTokens(): Promise<{ home: string; tokens: () => Promise<Buffer> }> {
  const home = join(dir, `home-${(homes += 1)}`);
  await storeEntry(home, 'http://127.0.0.1:9/other/mcp');
  return { home, tokens: () => readFile(join(home, 'tokens.json')) };
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** The `todo-mcp:` lines on stderr: the one line an interrupted command prints (prompts before it are not errors). */
const errorLines = (cli: CliProcess) => cli.stderr().split('\n').filter((line) => line.startsWith('todo-mcp:'));

/** Whether a process runs (a zombie waiting to be reaped does not count). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

describe('login stops at once on a signal and leaves nothing behind', { timeout: 30_000 }, () => {
  for (const [signal, code, verb] of [['SIGINT', EXIT.interrupted, 'interrupted'], ['SIGTERM', EXIT.terminated, 'stopped']] as const) {
    it(`login --no-browser waiting for the browser → ${signal} → ${code} within 1 s, the listener's port free, the token file byte-identical`, async () => {
      const { home, tokens } = await homeWithTokens();
      const before = await tokens();
      const cli = launch(['login', '--no-browser', fx.server.mcpUrl], { TODO_MCP_HOME: home });
      const [, redirect] = await cli.waitForOutput(/redirect_uri=([^&\s]+)/);
      const port = Number(new URL(decodeURIComponent(redirect!)).port);
      expect(await accepts(port)).toBe(true);

      const { code: exit, ms } = await cli.signal(signal);
      expect(exit, cli.stderr()).toBe(code);
      expect(ms).toBeLessThan(1_000);
      expect(errorLines(cli)).toEqual([`todo-mcp: ${verb} while waiting for the login in the browser (${signal})`]);
      expect(await accepts(port)).toBe(false);
      expect((await tokens()).equals(before)).toBe(true);
      expect(await readdir(home)).toEqual(['tokens.json']);
    });
  }

  it('login --device polling → SIGINT → 130 within 1 s (openid-client polls every 5 s; the wait does not)', async () => {
    const { home, tokens } = await homeWithTokens();
    const before = await tokens();
    const cli = launch(['login', '--device', fx.server.mcpUrl], { TODO_MCP_HOME: home });
    await cli.waitForOutput(/enter the code:\s+\S+/);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual(['todo-mcp: interrupted while waiting for the login on the other device (SIGINT)']);
    expect((await tokens()).equals(before)).toBe(true);
  });

  it('the $BROWSER command is ended with the login: no browser left trying to reach a listener that is gone', async () => {
    const { home } = await homeWithTokens();
    const pidFile = join(dir, 'browser.pid');
    const browser = join(dir, 'slow-browser.sh');
    await writeFile(browser, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 60\n`);
    await chmod(browser, 0o755);
    const cli = launch(['login', fx.server.mcpUrl], { TODO_MCP_HOME: home, BROWSER: browser });
    await cli.waitForOutput(/Waiting for the login to complete/);
    let pid: number | undefined;
    for (let i = 0; i < 100 && !pid; i += 1) pid = Number(await readFile(pidFile, 'utf8').catch(() => '')) || (await new Promise((r) => setTimeout(r, 20)), undefined);
    expect(await isRunning(pid!)).toBe(true);

    const { code } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    let alive = true;
    for (let i = 0; i < 50 && alive; i += 1) alive = (await isRunning(pid!)) && (await new Promise((r) => setTimeout(r, 20)), true);
    expect(alive).toBe(false);
  });
});

/** A TCP server that accepts connections and never answers; `heard()` once a request arrived. */
async function startSilentServer(): Promise<{ origin: string; heard(): Promise<boolean> }> {
  const sockets = new Set<Socket>();
  let heard = false;
  const silent: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => (heard = true));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), silent.close(() => resolve()))));
  return {
    origin: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
    async heard() {
      for (let i = 0; i < 250 && !heard; i += 1) await new Promise((r) => setTimeout(r, 20));
      return heard;
    },
  };
}

describe('call stops at once on a signal', { timeout: 30_000 }, () => {
  it('against a server that accepts the connection and never answers → SIGINT → 130 within 1 s', async () => {
    const { origin, heard } = await startSilentServer();
    const { home } = await homeWithTokens();
    await storeEntry(home, `${origin}/mcp`);

    const cli = launch(['call', 'get-todos', '--server', `${origin}/mcp`], { TODO_MCP_HOME: home });
    expect(await heard()).toBe(true);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual([`todo-mcp: interrupted while waiting for ${origin} to answer initialize (SIGINT)`]);
  });

  it('an inline login (no stored login) waiting for the browser → SIGINT → 130 within 1 s, the listener closed, the token file byte-identical', async () => {
    const { home, tokens } = await homeWithTokens();
    const before = await tokens();
    const cli = launch(['call', 'get-todos', '--no-browser', '--server', fx.server.mcpUrl], { TODO_MCP_HOME: home });
    const [, redirect] = await cli.waitForOutput(/redirect_uri=([^&\s]+)/);
    const port = Number(new URL(decodeURIComponent(redirect!)).port);
    expect(await accepts(port)).toBe(true);

    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual(['todo-mcp: interrupted while waiting for the login in the browser (SIGINT)']);
    expect(await accepts(port)).toBe(false);
    expect((await tokens()).equals(before)).toBe(true);
    expect(await readdir(home)).toEqual(['tokens.json']);
  });

  it('waiting for another process holding the token file lock (a refresh) → SIGINT → 130; its lock untouched, nothing of ours left', async () => {
    const { home, tokens } = await homeWithTokens();
    const server = 'http://127.0.0.1:9/expired/mcp';
    await storeEntry(home, server, { expiresAt: Math.floor(Date.now() / 1000) - 60, refreshToken: 'stored-refresh-token' });
    const before = await tokens();
    const lockPath = join(home, 'tokens.json.lock');
    // Another todo-mcp process holding the lock: the real lock code, in a real process.
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `const { acquireFileLock } = await import(${JSON.stringify(FILE_LOCK)}); await acquireFileLock({ path: ${JSON.stringify(lockPath)} }); console.log('held'); setInterval(() => {}, 1000);`]);
    running.push({ kill: () => holder.kill('SIGKILL') });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d) => String(d).includes('held') && resolve());
      holder.on('exit', (c) => reject(new Error(`the lock holder exited (${c})`)));
    });
    const held = await readFile(lockPath, 'utf8');

    const cli = launch(['call', 'get-todos', '--server', server], { TODO_MCP_HOME: home });
    // Waiting: its own lock candidate (written before it tries the lock) is there.
    let waiting = false;
    for (let i = 0; i < 250 && !waiting; i += 1) waiting = (await readdir(home)).some((f) => f.endsWith('.tmp')) || (await new Promise((r) => setTimeout(r, 20)), false);
    expect(waiting).toBe(true);
    await new Promise((r) => setTimeout(r, 100));

    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual([`todo-mcp: interrupted while waiting for another todo-mcp process to release ${join(home, 'tokens.json')} (SIGINT)`]);
    expect((await readdir(home)).sort()).toEqual(['tokens.json', 'tokens.json.lock']);
    expect(await readFile(lockPath, 'utf8')).toBe(held);
    expect(holder.exitCode).toBeNull();
    expect((await tokens()).equals(before)).toBe(true);
  });
});

describe('the other commands that wait stop too', { timeout: 30_000 }, () => {
  it('token refreshing against a silent authorization server → SIGTERM → 143 within 1 s; the lock released, the file as it was', async () => {
    const { origin, heard } = await startSilentServer();
    const { home, tokens } = await homeWithTokens();
    const issuer = `${origin}/oidc`;
    await storeEntry(home, 'http://127.0.0.1:9/refresh/mcp', {
      issuer,
      authorizationServer: { issuer, token_endpoint: `${issuer}/token` },
      expiresAt: Math.floor(Date.now() / 1000) - 60,
      refreshToken: 'stored-refresh-token',
    });
    const before = await tokens();
    const cli = launch(['token', 'http://127.0.0.1:9/refresh/mcp'], { TODO_MCP_HOME: home });
    expect(await heard()).toBe(true);
    // The refresh runs under the token file's lock.
    expect(await readdir(home)).toContain('tokens.json.lock');
    const { code, ms } = await cli.signal('SIGTERM');
    expect(code, cli.stderr()).toBe(EXIT.terminated);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual(['todo-mcp: stopped while refreshing the access token for http://127.0.0.1:9/refresh/mcp (SIGTERM)']);
    expect(await readdir(home)).toEqual(['tokens.json']);
    expect((await tokens()).equals(before)).toBe(true);
  });

  it('doctor waiting for a silent server → SIGINT → 130 within 1 s', async () => {
    const { origin, heard } = await startSilentServer();
    const cli = launch(['doctor', `${origin}/mcp`], { TODO_MCP_HOME: join(dir, 'doctor-home') });
    expect(await heard()).toBe(true);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual([`todo-mcp: interrupted while checking ${origin}/mcp (SIGINT)`]);
  });
});

describe('and the rest of the commands that talk to a server', { timeout: 30_000 }, () => {
  it('tools against a server that never answers → SIGINT → 130 within 1 s, one line', async () => {
    const { origin, heard } = await startSilentServer();
    const { home } = await homeWithTokens();
    await storeEntry(home, `${origin}/mcp`);
    const cli = launch(['tools', '--server', `${origin}/mcp`], { TODO_MCP_HOME: home });
    expect(await heard()).toBe(true);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual([`todo-mcp: interrupted while waiting for ${origin} to answer initialize (SIGINT)`]);
  });

  it('logout revoking at a silent authorization server → SIGTERM → 143 within 1 s; the login kept (logout again finishes it), the file as it was', async () => {
    const { origin, heard } = await startSilentServer();
    const { home, tokens } = await homeWithTokens();
    const issuer = `${origin}/oidc`;
    await storeEntry(home, 'http://127.0.0.1:9/revoke/mcp', {
      issuer,
      authorizationServer: { issuer, token_endpoint: `${issuer}/token`, revocation_endpoint: `${issuer}/token/revocation` },
      refreshToken: 'stored-refresh-token',
    });
    const before = await tokens();
    const cli = launch(['logout', 'http://127.0.0.1:9/revoke/mcp'], { TODO_MCP_HOME: home });
    expect(await heard()).toBe(true);
    const { code, ms } = await cli.signal('SIGTERM');
    expect(code, cli.stderr()).toBe(EXIT.terminated);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual([`todo-mcp: stopped while revoking the tokens at ${issuer} (SIGTERM)`]);
    expect(await readdir(home)).toEqual(['tokens.json']);
    expect((await tokens()).equals(before)).toBe(true);
  });

  it('logto setup against a silent endpoint → SIGINT → 130 within 1 s (not at its 15 s request timeout), nothing written', async () => {
    const { origin, heard } = await startSilentServer();
    const cwd = join(dir, 'logto-setup');
    await mkdir(cwd, { recursive: true });
    const cli = launchCli(['logto', 'setup', '--endpoint', origin, '--m2m-id', 'm2m-app'], { env: { BROWSER: '', LOGTO_M2M_SECRET: 'm2m-secret' }, cwd });
    running.push(cli);
    expect(await heard()).toBe(true);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(errorLines(cli)).toEqual([`todo-mcp: interrupted while provisioning the Logto tenant at ${origin} (SIGINT)`]);
    expect(await readdir(cwd)).toEqual([]);
  });
});

describe('servers shut down gracefully on the first signal', { timeout: 30_000 }, () => {
  it('serve closes cleanly on SIGINT and exits 0', async () => {
    const cli = launch(['serve', '--port', '0', '--auth-port', '0', '--data', join(dir, 'serve', 'todos.json')], {});
    const [, url] = await cli.waitForOutput(/MCP endpoint\s+(\S+)/);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.ok);
    expect(ms).toBeLessThan(2_000);
    // Its log says why it stopped (JSON lines: stdout is a pipe here).
    expect(cli.stdout()).toMatch(/^\{.*"signal":"SIGINT".*"msg":"shutting down".*\}$/m);
    expect(errorLines(cli)).toEqual([]);
    expect(await accepts(Number(new URL(url!).port))).toBe(false);
  });

  it('auth-server closes cleanly on SIGTERM and exits 0; its state directory lock is released', async () => {
    const data = join(dir, 'auth-server', 'todos.json');
    const cli = launch(['auth-server', '--auth-port', '0', '--data', data], {});
    const [, metadata] = await cli.waitForOutput(/Metadata:\s+(\S+)/);
    const { code, ms } = await cli.signal('SIGTERM');
    expect(code, cli.stderr()).toBe(EXIT.ok);
    expect(ms).toBeLessThan(2_000);
    expect(errorLines(cli)).toEqual([]);
    expect(await accepts(Number(new URL(metadata!).port))).toBe(false);
    expect(await readdir(join(dir, 'auth-server'))).not.toContain('dev-auth.lock');
  });
});
