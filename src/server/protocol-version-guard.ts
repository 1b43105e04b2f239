import type { RequestHandler } from 'express';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { JSON_RPC, sendJsonRpcError } from '../http/json-rpc-error.js';

/** MCP Streamable HTTP: a request naming a protocol version this server does not speak gets 400. */
export const protocolVersionGuard: RequestHandler = (req, res, next) => {
  const version = req.headers['mcp-protocol-version'];
  if (version === undefined || (typeof version === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return next();
  sendJsonRpcError(res, 400, JSON_RPC.serverError, `Bad Request: unsupported MCP-Protocol-Version; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`);
};
