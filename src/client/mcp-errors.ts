/** The MCP endpoint answered a POST with an HTTP error status (401, 403, 404, 5xx, …). */
export class McpHttpError extends Error {
  readonly status: number;
  /** The raw `WWW-Authenticate` header, when there was one. */
  readonly wwwAuthenticate: string | undefined;

  constructor(status: number, message: string, wwwAuthenticate?: string) {
    super(message);
    this.name = 'McpHttpError';
    this.status = status;
    this.wwwAuthenticate = wwwAuthenticate;
  }
}

/** The server answered a JSON-RPC request with an error object (unknown tool, invalid params, …). */
export class McpRpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'McpRpcError';
    this.code = code;
    this.data = data;
  }
}

/** The server broke the protocol: unparsable JSON, a result of the wrong shape, an unsupported version. */
export class McpProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpProtocolViolation';
  }
}
