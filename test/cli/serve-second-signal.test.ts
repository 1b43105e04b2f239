import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { launchCli } from '../helpers/cli-process.js';
import { POSTGRES, startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.mjs';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/*
 * `serve` shuts down gracefully on the first signal; when that takes long, a second one ends it at once
 * (130). A real slow shutdown: the store's database stops answering (a TCP relay the test freezes, as a
 * hung network would) while a tool call's statement is on the wire, and closing the store waits for it.
 */

/** A TCP relay to PostgreSQL that can be frozen: no byte passes any more and no connection is closed. */
async function startRelay(upstreamPort: number): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze() {
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

describe.skipIf(!POSTGRES.available)(`serve: a second signal during a slow shutdown${POSTGRES.available ? '' : ` (skipped: ${POSTGRES.reason})`}`, { timeout: 60_000 }, () => {
  let cluster: PostgresCluster;
  let issuer: TestIssuer;
  let dir: string;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    issuer = await startTestIssuer();
    dir = await mkdtemp(join(tmpdir(), 'todo-mcp-second-signal-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    await issuer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the first SIGINT starts the graceful shutdown; the second ends the process at once with 130', async () => {
    const database = new URL(await cluster.createDatabase());
    const relay = await startRelay(cluster.port);
    database.port = String(relay.port);
    const cli = launchCli(['serve', '--port', '0', '--issuer', issuer.issuer, '--data', join(dir, 'todos.json'), '--store', database.href]);
    const calls = new AbortController();
    try {
      const [, mcpUrl, resource] = await cli.waitForOutput(/MCP endpoint\s+(\S+)\s+resource\s+(\S+)/);
      const token = await issuer.sign({ sub: 'slow-user', scope: 'read:todos', aud: resource });
      const post = (body: object, session?: string) =>
        fetch(mcpUrl!, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}) },
          body: JSON.stringify(body),
          signal: calls.signal,
        });
      const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      const session = init.headers.get('mcp-session-id')!;
      await init.body?.cancel();
      await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).body?.cancel();
      relay.freeze();
      // Its statement goes out and no answer comes back: the store now has a statement in flight.
      void post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get-todos', arguments: {} } }, session).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      cli.child.kill('SIGINT');
      await cli.waitForOutput(/"msg":"shutting down"/);
      // Still closing the store a while later: the database does not answer.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(cli.child.exitCode).toBeNull();

      const { code, ms } = await cli.signal('SIGINT');
      expect(code, cli.stderr()).toBe(EXIT.interrupted);
      expect(ms).toBeLessThan(1_000);
      expect(cli.stderr()).toContain('todo-mcp: SIGINT again: exiting without finishing the clean-up\n');
    } finally {
      calls.abort();
      cli.kill();
      await relay.close();
    }
  });
});
