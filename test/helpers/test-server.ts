import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWTPayload } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTodoServer, type RunningTodoServer } from '../../src/server/start-todo-server.js';
import type { ServeConfig } from '../../src/config/serve-config.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';

export interface TestServer {
  issuer: TestIssuer;
  server: RunningTodoServer;
  dataFile: string;
  /** A token for this server's resource, for `sub` with `scope`, plus any claim overrides. */
  token(sub: string, scope: string, claims?: JWTPayload): Promise<string>;
  /** An SDK client connected with a bearer token. */
  connect(token: string, path?: string): Promise<Client>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The real todo server (real store, real verifier) trusting a real HTTP test issuer, on ephemeral ports. */
export async function startTestServer(
  overrides: Partial<ServeConfig> = {},
  options: { jwksCooldownMs?: number; issuer?: Parameters<typeof startTestIssuer>[0] } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-server-'));
  const issuer = await startTestIssuer(options.issuer);
  const dataFile = join(dir, 'todos.json');
  const config = (): ServeConfig => ({
    port: 0,
    host: '127.0.0.1',
    resource: undefined,
    issuer: issuer.issuer,
    authPort: 0,
    dataFile,
    allowedOrigins: [],
    stateless: false,
    ...overrides,
  });
  const jwksCooldownMs = options.jwksCooldownMs ?? 500;
  let server = await startTodoServer({ config: config(), jwksCooldownMs });
  const clients: Client[] = [];

  const handle: TestServer = {
    issuer,
    get server() {
      return server;
    },
    dataFile,
    token: (sub, scope, claims = {}) => issuer.sign({ sub, scope, aud: server.resource, ...claims }),
    async connect(token, path = '/mcp') {
      const client = new Client({ name: 'test-client', version: '1.0.0' });
      const url = new URL(path, `http://localhost:${server.port}`);
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      clients.push(client);
      return client;
    },
    async restart() {
      const port = server.port;
      await server.close();
      server = await startTodoServer({ config: { ...config(), port, resource: server.resource }, jwksCooldownMs });
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await server.close();
      await issuer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
