import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { signInWithForm, startBrowserRelay, type BrowserRelay } from '../helpers/browser-relay.js';
import { runCli } from '../helpers/run-cli.js';
import { startServe, type ServeProcess } from '../e2e/support/serve-process.js';
import { invalidJsonRpcLines, startBridgeHost, stdoutFileIn, waitForMatch, type BridgeHost } from './helpers/bridge-host.js';

/**
 * `todo-mcp serve` restarts under a running bridge (same ports, same data directory, so alice's token
 * stays valid but every MCP session is gone): the host's next call works, on a new session it never
 * hears about.
 */
let root: string;
let serve: ServeProcess;
let relay: BrowserRelay;
let host: BridgeHost | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-bridge-restart-'));
  serve = await startServe({ dir: root });
  relay = await startBrowserRelay(signInWithForm({ username: 'alice', password: DEV_PASSWORDS.alice }));
});
afterAll(async () => {
  await host?.close().catch(() => undefined);
  await relay?.close();
  await serve?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a server restart mid-session', { timeout: 120_000 }, () => {
  it('opens a new session behind the host\'s back; the host\'s next call works without a login', async () => {
    const home = join(root, 'alice');
    await mkdir(home, { recursive: true });
    const env = { HOME: home, TODO_MCP_HOME: join(home, 'todo-mcp'), ...relay.env };
    const login = await runCli(['login', serve.mcpUrl], { env, cwd: home, timeoutMs: 60_000 });
    expect(login.code, login.stderr).toBe(0);
    host = await startBridgeHost({ args: [serve.mcpUrl], env, cwd: home, stdoutFile: stdoutFileIn(home, 'out'), timeoutMs: 60_000 });
    const created = CallToolResultSchema.parse(await host.client.callTool({ name: 'create-todo', arguments: { content: 'before the restart' } }));
    expect(created.isError).toBeFalsy();

    // Same ports and data directory: the resource, the issuer and its keys stay; the sessions do not.
    const port = new URL(serve.mcpUrl).port;
    const authPort = new URL(serve.issuer).port;
    expect(await serve.stop()).toBe(0);
    serve = await startServe({ dir: root, args: ['--port', port, '--auth-port', authPort] });

    const listed = CallToolResultSchema.parse(await host.client.callTool({ name: 'get-todos', arguments: {} }));
    expect((listed.structuredContent as { todos: Array<{ content: string }> }).todos.map((t) => t.content)).toContain('before the restart');
    expect(host.stderr()).toContain(`${serve.mcpUrl} no longer knew the MCP session (restarted or expired); opened a new one.`);
    // The new server refused the old session (404: the call, or the event stream reconnecting first),
    // then saw the host's own initialize replayed by the bridge before the call went through. (A request
    // is logged once its answer is finished.)
    await waitForMatch(() => serve.requestLines().join('\n'), /^POST \/mcp tools\/call get-todos sub=alice 200/m, 5_000);
    // The request log reaches the pipe within 100 ms (it writes in batches): wait for the line.
    await vi.waitFor(() => expect(serve.requestLines().some((line) => / sub=alice 404 /.test(line))).toBe(true), { timeout: 3_000 });
    const at = (pattern: RegExp) => serve.requestLines().findIndex((line) => pattern.test(line));
    expect(at(/^POST \/mcp initialize sub=alice 200 /)).toBeGreaterThanOrEqual(0);
    expect(at(/^POST \/mcp initialize sub=alice 200 /)).toBeLessThan(at(/^POST \/mcp tools\/call get-todos sub=alice 200 /));
    expect(relay.opened).toHaveLength(1);

    await host.close();
    expect(invalidJsonRpcLines(await host.stdoutLines())).toEqual([]);
  });
});
