import { TodoMcpError } from '../errors/todo-mcp-error.js';

/*
 * What the Streamable HTTP client throws about one exchange. `withMcpSession` turns them into ClientErrors
 * that name the server; their codes mean the same there (http_error and rpc_error: the server answered
 * with a failure; protocol_violation: it broke the protocol).
 */

/** The MCP endpoint answered a POST with an HTTP error status (401, 403, 404, 5xx, an unexpected redirect, …). */
export class McpHttpError extends TodoMcpError<'http_error'> {
  override readonly name = 'McpHttpError';
  readonly status: number;
  /** The raw `WWW-Authenticate` header, when there was one. */
  readonly wwwAuthenticate: string | undefined;

  constructor(status: number, message: string, wwwAuthenticate?: string) {
    super('http_error', message);
    this.status = status;
    this.wwwAuthenticate = wwwAuthenticate;
  }
}

/** The server answered a JSON-RPC request with an error object (unknown tool, invalid params, …). */
export class McpRpcError extends TodoMcpError<'rpc_error'> {
  override readonly name = 'McpRpcError';
  /** The JSON-RPC error code (e.g. -32602 invalid params). */
  readonly rpcCode: number;
  readonly data: unknown;

  constructor(rpcCode: number, message: string, data?: unknown) {
    super('rpc_error', message);
    this.rpcCode = rpcCode;
    this.data = data;
  }
}

/** The server broke the protocol: unparsable JSON, a result of the wrong shape, an unsupported version. */
export class McpProtocolViolation extends TodoMcpError<'protocol_violation'> {
  override readonly name = 'McpProtocolViolation';
  constructor(message: string) {
    super('protocol_violation', message);
  }
}
