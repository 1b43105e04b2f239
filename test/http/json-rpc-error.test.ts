import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { JSON_RPC, jsonRpcError, sendJsonRpcError } from '../../src/http/json-rpc-error.js';

describe('jsonRpcError', () => {
  it('builds a JSON-RPC 2.0 error response, id null unless given', () => {
    expect(jsonRpcError(JSON_RPC.parseError, 'Parse error')).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    expect(jsonRpcError(JSON_RPC.methodNotFound, 'no', 7)).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'no' }, id: 7 });
  });

  it('sendJsonRpcError answers with the status, a JSON content type and that body', async () => {
    const server = createServer((_req, res) => sendJsonRpcError(res, 404, JSON_RPC.sessionNotFound, 'Session not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
