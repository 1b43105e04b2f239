import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { createTokenStore, putEntry } from '../../src/client/token-store.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { result, startStubMcpServer, type StubMcpServer, type StubRequest, type StubAnswer } from '../helpers/stub-mcp-server.js';

/*
 * What the real CLI exits with when a server misbehaves (issue 17): a failing server is 7, not 5
 * ("could not be reached"); a JSON-RPC error is 7, not 2 ("usage"); a broken message is 8.
 */

const TOKEN = 'stored-access-token-never-shown';
let home: string;
const stubs: StubMcpServer[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'todo-mcp-exit-'));
});
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((stub) => stub.close()));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A stub server with a stored login for it, as `todo-mcp login` leaves one. */
async function stubWithLogin(answer: (request: StubRequest) => StubAnswer | undefined): Promise<StubMcpServer> {
  const stub = await startStubMcpServer(answer);
  stubs.push(stub);
  const now = Math.floor(Date.now() / 1000);
  await createTokenStore({ dir: home }).update((data) =>
    putEntry(data, {
      server: stub.url,
      resource: new URL(stub.url).origin,
      issuer: 'http://127.0.0.1:9/oidc',
      authorizationServer: { issuer: 'http://127.0.0.1:9/oidc', token_endpoint: 'http://127.0.0.1:9/oidc/token' },
      client: { clientId: 'exit-test', authMethod: 'none', kind: 'pre-registered' },
      accessToken: TOKEN,
      tokenType: 'Bearer',
      expiresAt: now + 3600,
      scopesRequested: [],
      scopesGranted: [],
      updatedAt: now,
    }),
  );
  return stub;
}

const call = (stub: StubMcpServer) => runCliInProcess(['call', 'get-todos', '--no-login', '--server', stub.url], { env: { TODO_MCP_HOME: home, TODO_MCP_CONFIG: undefined } });

describe('exit codes of a misbehaving server (the CLI, in-process, against stubs on 127.0.0.1)', { timeout: 60_000 }, () => {
  it('HTTP 500 is a server error (7)', async () => {
    const stub = await stubWithLogin((request) => (request.method === 'initialize' ? { status: 500, body: 'boom' } : undefined));
    const r = await call(stub);
    expect(r.code, r.stderr).toBe(EXIT.serverError);
    expect(r.stderr).toContain('HTTP 500');
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('a redirect the client does not follow is a server error (7)', async () => {
    const stub = await stubWithLogin((request) => (request.method === 'initialize' ? { status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } } : undefined));
    const r = await call(stub);
    expect(r.code, r.stderr).toBe(EXIT.serverError);
    expect(r.stderr).toContain('HTTP 302');
  });

  it('a JSON-RPC error answer is a server error (7)', async () => {
    const stub = await stubWithLogin((request) =>
      request.method === 'tools/call' ? { body: { jsonrpc: '2.0', id: request.id, error: { code: -32603, message: 'the database is on fire' } } } : undefined,
    );
    const r = await call(stub);
    expect(r.code, r.stderr).toBe(EXIT.serverError);
    expect(r.stderr).toContain('the database is on fire');
  });

  it('a result of the wrong shape is a protocol violation (8), named', async () => {
    const stub = await stubWithLogin((request) => (request.method === 'tools/call' ? result(request, { content: [{ text: 'no type' }] }) : undefined));
    const r = await call(stub);
    expect(r.code, r.stderr).toBe(EXIT.protocolViolation);
    expect(r.stderr).toContain('its tools/call result is malformed: result.content[0].type is missing');
  });

  it('an unsupported protocol version is a protocol violation (8)', async () => {
    const stub = await stubWithLogin((request) =>
      request.method === 'initialize' ? result(request, { protocolVersion: '1999-01-01', capabilities: {}, serverInfo: { name: 'old', version: '0' } }) : undefined,
    );
    const r = await call(stub);
    expect(r.code, r.stderr).toBe(EXIT.protocolViolation);
    expect(r.stderr).toContain('1999-01-01');
  });

  it('doctor finding problems exits 9', async () => {
    // A server that answers without asking for a token: the doctor's first check fails.
    const stub = await stubWithLogin(() => undefined);
    const r = await runCliInProcess(['doctor', stub.url, '--timeout', '2'], { env: { TODO_MCP_HOME: home, TODO_MCP_CONFIG: undefined } });
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.problemsFound);
    expect(r.stdout).toMatch(/problem\(s\) found/);
  });

  it('doctor --timeout abc is a usage error (2), not a report that the server is down', async () => {
    const stub = await stubWithLogin(() => undefined);
    const r = await runCliInProcess(['doctor', stub.url, '--timeout', 'abc'], { env: { TODO_MCP_HOME: home, TODO_MCP_CONFIG: undefined } });
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.usage);
    expect(r.stderr).toContain('--timeout');
    expect(stub.seen).toEqual([]);
  });
});
