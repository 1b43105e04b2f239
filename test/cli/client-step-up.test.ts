import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { DEFAULT_DEV_ACCOUNTS } from '../../src/dev-auth/accounts.js';
import { startDevAuthServer, type DevAuthServer } from '../../src/dev-auth/start-dev-auth-server.js';
import { startTodoServer, type RunningTodoServer } from '../../src/server/start-todo-server.js';
import { signInWithForm, startBrowserRelay, type BrowserRelay } from '../helpers/browser-relay.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Step-up against the real servers: the development authorization server with one more account, carol,
 * who has no role (so no scope at all), beside the seeded alice (User: create:todos).
 */
let root: string;
let auth: DevAuthServer;
let server: RunningTodoServer;
const relays: BrowserRelay[] = [];

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

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-step-up-'));
  // The resource names the MCP server's port, so pick it before the authorization server starts.
  const port = await freePort();
  const resource = `http://localhost:${port}`;
  auth = await startDevAuthServer({
    port: 0,
    resources: [resource],
    dataDir: join(root, 'dev-auth'),
    accounts: [...DEFAULT_DEV_ACCOUNTS, { username: 'carol', password: 'carol-dev', roles: [] }],
  });
  server = await startTodoServer({
    config: { port, host: '127.0.0.1', resource, issuer: auth.issuer, authPort: 0, dataFile: join(root, 'todos.json'), allowedOrigins: [], stateless: false },
  });
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  await server?.close();
  await auth?.close();
  await rm(root, { recursive: true, force: true });
});

async function terminal(username: string, password: string) {
  const relay = await startBrowserRelay(signInWithForm({ username, password }));
  relays.push(relay);
  const home = await mkdtemp(join(root, `${username}-`));
  const env = { HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp'), ...relay.env };
  return { relay, cli: (args: string[]) => runCliInProcess(args, { env, cwd: home, timeoutMs: 60_000 }) };
}

describe('step-up on 403 insufficient_scope', { timeout: 120_000 }, () => {
  it('re-authorizes once with the challenged scope added, then the call succeeds', async () => {
    const alice = await terminal('alice', 'alice-dev');
    const login = await alice.cli(['login', '--client-id', 'todo-mcp-cli', '--scope', 'read:todos', server.mcpUrl]);
    expect(login.code, login.stderr).toBe(EXIT.ok);
    expect(login.stdout).toMatch(/not granted\s+read:todos/);

    const call = await alice.cli(['call', 'create-todo', 'content=after step-up', '--client-id', 'todo-mcp-cli', '--server', server.mcpUrl]);
    expect(call.code, call.stderr).toBe(EXIT.ok);
    expect(call.stdout).toContain('Created todo');
    expect(call.stderr).toContain(`${server.mcpUrl} needs more permissions (create:todos); logging in again to get them.`);
    expect(alice.relay.failures).toEqual([]);
    expect(alice.relay.opened).toHaveLength(2);
    const stepUp = alice.relay.opened[1]!.searchParams.get('scope')!.split(' ');
    expect(stepUp).toEqual(expect.arrayContaining(['read:todos', 'create:todos', 'offline_access']));
  });

  it('when signing in again cannot grant the scope, fails with exit 4 naming the scope and the roles that grant it — no loop', async () => {
    const carol = await terminal('carol', 'carol-dev');
    const call = await carol.cli(['call', 'create-todo', 'content=never', '--server', server.mcpUrl]);
    expect(call.code).toBe(EXIT.forbidden);
    expect(call.stderr).toContain(`todo-mcp: ${server.mcpUrl} needs the scope create:todos, which signing in again did not grant. It comes with the role Admin or User: ask an administrator for it`);
    // One login because there was no token, one step-up; never a third.
    expect(carol.relay.opened).toHaveLength(2);
    expect(carol.relay.failures).toEqual([]);

    const again = await carol.cli(['call', 'create-todo', 'content=never', '--no-login', '--server', server.mcpUrl]);
    expect(again.code).toBe(EXIT.forbidden);
    expect(again.stderr).toContain('needs the scope create:todos, which the stored login does not have');
    expect(carol.relay.opened).toHaveLength(2);
  });
});
