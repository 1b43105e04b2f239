import { McpProtocolViolation } from './mcp-errors.js';
import { describe, isObject, type JsonObject } from './mcp-shape.js';

/** A JSON-RPC request id: a string or an integer. */
export type RequestId = string | number;

/** One JSON-RPC 2.0 message as MCP allows it (the SDK's JSONRPCMessageSchema), sorted by kind. */
export type JsonRpcMessage =
  | { readonly kind: 'request'; readonly id: RequestId; readonly method: string; readonly params?: JsonObject }
  | { readonly kind: 'notification'; readonly method: string; readonly params?: JsonObject }
  | { readonly kind: 'result'; readonly id: RequestId; readonly result: JsonObject }
  | { readonly kind: 'error'; readonly id?: RequestId; readonly error: { readonly code: number; readonly message: string; readonly data?: unknown } };

// The members each kind may have: JSON-RPC messages are closed (the SDK's schemas are `.strict()` here).
const MEMBERS = {
  request: ['jsonrpc', 'id', 'method', 'params'],
  notification: ['jsonrpc', 'method', 'params'],
  result: ['jsonrpc', 'id', 'result'],
  error: ['jsonrpc', 'id', 'error'],
} as const;

function violation(what: string): never {
  throw new McpProtocolViolation(`it sent a JSON-RPC message that ${what}`);
}

const isRequestId = (id: unknown): id is RequestId => typeof id === 'string' || Number.isInteger(id);

/**
 * Checks one message: an object with `jsonrpc: "2.0"`, of exactly one kind (request, notification,
 * result or error), with a string or integer id where one belongs, an object for params and result, and
 * an error with an integer code and a string message. Anything else is a protocol violation naming the fault.
 */
export function parseJsonRpcMessage(value: unknown): JsonRpcMessage {
  if (!isObject(value)) violation(`is ${describe(value)}, not an object`);
  if (value.jsonrpc !== '2.0') violation(`has jsonrpc ${value.jsonrpc === undefined ? 'missing' : JSON.stringify(value.jsonrpc)}, not "2.0"`);
  const kind = 'method' in value ? ('id' in value ? 'request' : 'notification') : 'result' in value ? 'result' : 'error' in value ? 'error' : undefined;
  if (kind === undefined) violation('is neither a request, a notification nor a response (no method, result or error)');
  const extra = Object.keys(value).find((key) => !(MEMBERS[kind] as readonly string[]).includes(key));
  if (extra !== undefined) violation(`is a ${kind} with a member ${JSON.stringify(extra)} that does not belong there`);
  // JSON-RPC 2.0 answers an unreadable request with id null; the SDK's schema forgets that case.
  if ('id' in value && !(kind === 'error' && (value.id === undefined || value.id === null)) && !isRequestId(value.id)) {
    violation(`has the id ${JSON.stringify(value.id) ?? 'undefined'}, neither a string nor an integer`);
  }
  switch (kind) {
    case 'request':
    case 'notification': {
      if (typeof value.method !== 'string') violation(`has a method that is ${describe(value.method)}, not a string`);
      if (value.params !== undefined && !isObject(value.params)) violation(`(${value.method}) has params that are ${describe(value.params)}, not an object`);
      const params = value.params === undefined ? {} : { params: value.params };
      return kind === 'request' ? { kind, id: value.id as RequestId, method: value.method, ...params } : { kind, method: value.method, ...params };
    }
    case 'result':
      if (!isObject(value.result)) violation(`answers ${JSON.stringify(value.id)} with a result that is ${describe(value.result)}, not an object`);
      return { kind, id: value.id as RequestId, result: value.result };
    case 'error': {
      const error = value.error;
      if (!isObject(error)) violation(`answers with an error that is ${describe(error)}, not an object`);
      if (!Number.isInteger(error.code)) violation(`answers with an error whose code is ${describe(error.code)}, not an integer`);
      if (typeof error.message !== 'string') violation(`answers with an error whose message is ${describe(error.message)}, not a string`);
      const answered = value.id === undefined || value.id === null ? {} : { id: value.id as RequestId };
      return { kind, ...answered, error: { code: error.code as number, message: error.message, ...('data' in error ? { data: error.data } : {}) } };
    }
  }
}

/** The messages of one JSON body: one message or (2025-03-26 batching) an array of them. */
export function parseJsonRpcBody(value: unknown): JsonRpcMessage[] {
  if (!Array.isArray(value)) return [parseJsonRpcMessage(value)];
  if (value.length === 0) violation('is an empty batch');
  return value.map(parseJsonRpcMessage);
}
