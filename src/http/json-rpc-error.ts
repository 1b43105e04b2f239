import type { ServerResponse } from 'node:http';

/** JSON-RPC 2.0 error codes used here (the spec's, and MCP's -32000 range for transport-level refusals). */
export const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  internalError: -32603,
  /** Streamable HTTP refusals (bad header, forbidden Origin/Host, no session): the SDK's code too. */
  serverError: -32000,
  /** An unknown or foreign session id: the SDK's "Session not found". */
  sessionNotFound: -32001,
} as const;

/**
 * A JSON-RPC error response body. `id` is null when the request's id is unknown (unparsed or refused before
 * reading); `data` (default none) carries machine-readable detail, such as a stable error code.
 */
export function jsonRpcError(code: number, message: string, id: string | number | null = null, data?: Record<string, unknown>) {
  return { jsonrpc: '2.0' as const, error: data === undefined ? { code, message } : { code, message, data }, id };
}

/** Answers `res` with HTTP `status` and a {@link jsonRpcError} body (id null); works for express and plain node responses. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(jsonRpcError(code, message)));
}
