import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenFile } from '../../src/client/token-store.js';
import { followRedirects, startBrowserRelay, type BrowserRelay } from './browser-relay.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { runCliInProcess } from './run-cli-in-process.js';
import type { CliResult } from './run-cli.js';
import type { TestLoginOptions } from './test-issuer-login.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * The todo server trusting an authorization server shaped like Logto (test-issuer-login.ts): opaque
 * subs, a pre-registered native app, an ID token with `username` (or only `sub`). The CLI talks to the
 * todo server through a recording proxy, so a test sees every byte the MCP server received.
 */
export interface LogtoLikeFixture {
  server: TestServer;
  proxy: RecordingProxy;
  relay: BrowserRelay;
  /** The MCP endpoint, through the proxy. */
  mcpUrl: string;
  /** Runs `todo-mcp …` in this process (run-cli-in-process.ts) with its own home and a "browser" that follows the redirects. */
  cli(args: string[]): Promise<CliResult>;
  tokens(): Promise<TokenFile | undefined>;
  close(): Promise<void>;
}

/** The signed-in user's sub, opaque like Logto's. */
export const LOGTO_LIKE_SUB = 'dwez64nl97sk';

export async function startLogtoLike(login: Partial<TestLoginOptions> = {}): Promise<LogtoLikeFixture> {
  const root = await mkdtemp(join(tmpdir(), 'todo-mcp-logto-like-'));
  const home = join(root, 'home');
  await mkdir(home);
  const proxy = await startRecordingProxy();
  const server = await startTestServer({ resource: proxy.origin }, { issuer: { login: { sub: LOGTO_LIKE_SUB, scope: 'create:todos read:todos', ...login } } });
  proxy.target = `http://127.0.0.1:${server.server.port}`;
  const relay = await startBrowserRelay(followRedirects);
  return {
    server,
    proxy,
    relay,
    mcpUrl: `${proxy.origin}/mcp`,
    cli: (args) => runCliInProcess(args, { cwd: root, timeoutMs: 30_000, env: { HOME: root, XDG_CONFIG_HOME: join(root, '.config'), TODO_MCP_HOME: home, ...relay.env } }),
    async tokens() {
      const text = await readFile(join(home, 'tokens.json'), 'utf8').catch(() => undefined);
      return text === undefined ? undefined : (JSON.parse(text) as TokenFile);
    },
    async close() {
      await relay.close();
      await server.close();
      await proxy.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
