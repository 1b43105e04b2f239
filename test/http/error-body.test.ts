import { afterEach, describe, expect, it } from 'vitest';
import { connectMcpClient } from '../../src/client/mcp-client.js';
import { errorBodyReason } from '../../src/http/error-body.js';
import { startStubMcpServer, type StubMcpServer } from '../helpers/stub-mcp-server.js';

describe('errorBodyReason (one home for "why did the server refuse", used by the client and the bridge)', () => {
  it('takes the JSON-RPC error message of a JSON body, else the first line cut at 200 characters, else nothing', () => {
    expect(errorBodyReason(' {"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: no session"},"id":null}\n')).toBe('Bad Request: no session');
    expect(errorBodyReason('upstream timed out\n<html>…</html>')).toBe('upstream timed out');
    expect(errorBodyReason(`${'x'.repeat(250)}\nsecond`)).toBe(`${'x'.repeat(200)}…`);
    expect(errorBodyReason('{"error":"not a JSON-RPC error object"}')).toBe('{"error":"not a JSON-RPC error object"}');
    expect(errorBodyReason('  \n ')).toBe('');
  });
});

describe("the MCP client names the server's reason for an HTTP refusal (stub server on 127.0.0.1)", () => {
  const stubs: StubMcpServer[] = [];
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map((stub) => stub.close()));
  });

  const refusal = async (status: number, body: unknown): Promise<string> => {
    const stub = await startStubMcpServer((request) => (request.method === 'initialize' ? { status, body } : undefined));
    stubs.push(stub);
    const error = await connectMcpClient({ url: stub.url, timeoutMs: 5_000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    if (!error) throw new Error('the refused initialize succeeded');
    return error.message;
  };

  it('a JSON-RPC error body gives its message; a text body its first line, cut at 200 characters; an empty body nothing', async () => {
    expect(await refusal(503, { jsonrpc: '2.0', error: { code: -32000, message: 'Server is shutting down' }, id: null })).toMatch(/answered with HTTP 503: Server is shutting down$/);
    expect(await refusal(502, `${'y'.repeat(300)}\nrest`)).toMatch(new RegExp(`answered with HTTP 502: ${'y'.repeat(200)}…$`));
    expect(await refusal(500, undefined)).toMatch(/answered with HTTP 500$/);
  });
});
