import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevAuthServer, type DevAuthServer } from '../../src/dev-auth/start-dev-auth-server.js';
import { startTodoServer, type RunningTodoServer } from '../../src/server/start-todo-server.js';
import { startRawBridge, type RawBridge } from './helpers/raw-bridge.js';

/*
 * A login the bridge starts for a host request (no token, or a step-up) waits for the user; when the
 * host cancels (notifications/cancelled) every request waiting for it, the login is abandoned: its
 * loopback listener closes at once instead of at --login-timeout, and the bridge serves on. The servers
 * run in this process; the bridge is the real CLI with --no-browser (the login URL on stderr, nobody
 * opening it).
 */
let root: string;
let auth: DevAuthServer;
let server: RunningTodoServer;
const bridges: RawBridge[] = [];
let count = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until `port` refuses connections; the milliseconds that took, or undefined after `withinMs`. */
async function closedWithin(port: number, withinMs: number): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start <= withinMs) {
    if (!(await accepting(port))) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}

/** The port of the login's redirect listener, once the bridge printed the login URL (bounded). */
async function loginListenerPort(bridge: RawBridge): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /Open this URL in a browser to log in:\s+(\S+)/.exec(bridge.stderr());
    if (match) return Number(new URL(new URL(match[1]!).searchParams.get('redirect_uri')!).port);
    if (Date.now() > deadline) throw new Error(`no login URL on stderr within 30 s:\n${bridge.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the bridge's stderr contains `text` (bounded). */
async function stderrShows(bridge: RawBridge, text: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!bridge.stderr().includes(text)) {
    if (Date.now() > deadline) throw new Error(`stderr never showed ${JSON.stringify(text)} within ${withinMs} ms:\n${bridge.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const loginUrls = (bridge: RawBridge) => bridge.stderr().match(/Open this URL in a browser to log in/g)?.length ?? 0;
const cancel = (bridge: RawBridge, requestId: string | number) =>
  bridge.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'the user gave up' } });
const initialize = (id: string | number) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cancelling-host', version: '1' } },
});

async function bridgeWithoutLogin(): Promise<RawBridge> {
  const home = join(root, `home-${(count += 1)}`);
  await mkdir(home, { recursive: true });
  const bridge = startRawBridge([server.mcpUrl, '--no-browser'], { env: { HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp') }, cwd: home });
  bridges.push(bridge);
  return bridge;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-bridge-cancel-'));
  const port = await freePort();
  const resource = `http://localhost:${port}`;
  auth = await startDevAuthServer({ port: 0, resources: [resource], dataDir: join(root, 'dev-auth') });
  server = await startTodoServer({
    config: { port, host: '127.0.0.1', resource, issuer: auth.issuer, authPort: 0, dataFile: join(root, 'todos.json'), allowedOrigins: [], stateless: false },
  });
});
afterAll(async () => {
  for (const bridge of bridges) bridge.kill('SIGKILL');
  await server?.close();
  await auth?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('connect: the host cancels the request a login waits for', { timeout: 60_000 }, () => {
  it('the only waiting request cancelled: the login listener closes within 1 s, no answer is sent, the bridge ends at once when stdin ends', async () => {
    const bridge = await bridgeWithoutLogin();
    bridge.send(initialize(1));
    const port = await loginListenerPort(bridge);
    expect(await accepting(port)).toBe(true);

    cancel(bridge, 1);
    const took = await closedWithin(port, 1_000);
    expect(took, `listener on ${port} still open 1 s after the cancellation\n${bridge.stderr()}`).toBeDefined();
    expect(bridge.stderr()).toContain('todo-mcp connect: the host cancelled every request waiting for the login; stopped waiting for it.');

    // Nothing waits any more: stdin closed ends the bridge now (not after the 300 s login timeout).
    const started = Date.now();
    bridge.endInput();
    expect(await bridge.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
    // A cancelled request gets no answer.
    expect(bridge.lines().map((line) => JSON.parse(line) as { id?: unknown }).filter((m) => m.id === 1)).toEqual([]);
  });

  it('two requests share one login: cancelling one keeps it waiting for the other; cancelling both closes the listener', async () => {
    const bridge = await bridgeWithoutLogin();
    bridge.send(initialize('a'));
    bridge.send({ jsonrpc: '2.0', id: 'b', method: 'ping' });
    const port = await loginListenerPort(bridge);
    expect(loginUrls(bridge)).toBe(1);

    cancel(bridge, 'a');
    // Still wanted by 'b': give the bridge time to (wrongly) close it, then look.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await accepting(port)).toBe(true);
    expect(bridge.stderr()).not.toContain('stopped waiting for it');

    cancel(bridge, 'b');
    expect(await closedWithin(port, 1_000), `listener on ${port} still open 1 s after the last cancellation\n${bridge.stderr()}`).toBeDefined();
    // Both cancellations are notifications, which never open a login: the one sent after the login was given
    // up fails quietly instead of starting a second one. Looked at once both have been dealt with.
    await stderrShows(bridge, 'Could not pass notifications/cancelled on: Not logged in to', 5_000);
    expect(bridge.stderr()).toContain('Could not pass notifications/cancelled on: The host cancelled every request that was waiting for the login');
    expect(loginUrls(bridge), bridge.stderr()).toBe(1);

    bridge.kill('SIGTERM');
    expect((await bridge.exited).code).toBe(143);
  });
});
