import type { JWTPayload } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { isRequest, isServerError, logEntries } from '../helpers/log-lines.js';
import { startCli, type CliProcess } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { mcpRetrySafe, startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.mjs';

/** One `todo-mcp serve --stateless --store postgres://…` process. */
export interface Replica {
  readonly index: number;
  readonly port: number;
  readonly serve: CliProcess;
  /** Request lines with a 5xx status, and `error:` lines, it printed so far. */
  serverErrorLines(): string[];
  /** How many request lines it printed. */
  requestLines(): number;
  alive(): boolean;
}

/** PostgreSQL, three replicas and a round-robin proxy in front, all on 127.0.0.1. */
export interface ReplicaFixture {
  readonly cluster: PostgresCluster;
  /** The replicas' shared store (a password-free trust login). */
  readonly storeUrl: string;
  readonly database: string;
  readonly proxy: RoundRobinProxy;
  readonly issuer: TestIssuer;
  /** The resource every replica serves: the proxy's public address. */
  readonly resource: string;
  /** The MCP endpoint clients use: through the proxy. */
  readonly mcpUrl: string;
  readonly replicas: readonly Replica[];
  token(sub: string, scope: string, claims?: JWTPayload): Promise<string>;
  /** An SDK client through the proxy with a bearer token. */
  connect(token: string): Promise<Client>;
  close(): Promise<void>;
}

// Reads answered by any replica any number of times without changing anything: safe to resend.
const RETRY_SAFE = mcpRetrySafe(['get-todos']);
const READY = /MCP endpoint\s+http:\/\/localhost:(\d+)\/mcp/;

async function startReplica(index: number, options: { storeUrl: string; issuer: string; resource: string }): Promise<Replica> {
  const args = ['serve', '--stateless', '--store', options.storeUrl, '--port', '0', '--issuer', options.issuer, '--resource', options.resource];
  const serve = await startCli(args, READY, { timeoutMs: 45_000 });
  return {
    index,
    port: Number(serve.match[1]),
    serve,
    serverErrorLines: () => logEntries(serve.output()).filter(isServerError).map((entry) => JSON.stringify(entry)),
    requestLines: () => logEntries(serve.output()).filter(isRequest).length,
    alive: () => serve.child.exitCode === null && serve.child.signalCode === null,
  };
}

/** Starts everything, the replicas all at once (so their schema migrations race, as in a real roll-out). */
export async function startReplicaFixture(options: { replicas?: number } = {}): Promise<ReplicaFixture> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const clients: Client[] = [];
  const cleanUp = async () => {
    await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  };
  try {
    const cluster = await startPostgresCluster();
    cleanups.push(() => cluster.stop());
    const database = 'todos';
    const storeUrl = await cluster.createDatabase(database);
    const proxy = await startRoundRobinProxy({ retrySafe: RETRY_SAFE });
    cleanups.push(() => proxy.close());
    // The resource is the address clients use, so every replica must be given the same one explicitly.
    const resource = `http://localhost:${proxy.port}`;
    const issuer = await startTestIssuer({ audience: resource });
    cleanups.push(() => issuer.close());
    const started = await Promise.allSettled(
      Array.from({ length: options.replicas ?? 3 }, (_, i) => startReplica(i, { storeUrl, issuer: issuer.issuer, resource })),
    );
    for (const result of started) if (result.status === 'fulfilled') cleanups.push(() => result.value.serve.stop('SIGTERM'));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const replicas = started.map((result) => (result as PromiseFulfilledResult<Replica>).value);
    proxy.setBackends(replicas.map((replica) => `http://127.0.0.1:${replica.port}`));

    return {
      cluster,
      storeUrl,
      database,
      proxy,
      issuer,
      resource,
      mcpUrl: `${resource}/mcp`,
      replicas,
      token: (sub, scope, claims = {}) => issuer.sign({ sub, scope, aud: resource, ...claims }),
      async connect(token) {
        const client = new Client({ name: 'scale-test', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(`${resource}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
        clients.push(client);
        return client;
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
