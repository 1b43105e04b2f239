import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSON_RPC, jsonRpcError } from '../http/json-rpc-error.js';

/** A JSON-RPC request id (MCP allows strings and numbers; 1 and "1" are different ids). */
export type RequestId = string | number;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is RequestId => typeof value === 'string' || typeof value === 'number';

/** The id of a JSON-RPC request; notifications and responses have none. */
const requestIdOf = (message: unknown) => (isObject(message) && typeof message.method === 'string' && isId(message.id) ? message.id : undefined);
/** The id a response (result or error) answers. */
const responseIdOf = (message: unknown) => (isObject(message) && ('result' in message || 'error' in message) && isId(message.id) ? message.id : undefined);
/** The request a `notifications/cancelled` gives up on. */
const cancelledIdOf = (message: unknown) =>
  isObject(message) && message.method === 'notifications/cancelled' && isObject(message.params) && isId(message.params.requestId) ? message.params.requestId : undefined;

/** The ids of the JSON-RPC requests in a POST body (one message or a batch), in order. */
export function requestIds(body: unknown): RequestId[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const id = requestIdOf(message);
    return id === undefined ? [] : [id];
  });
}

/** The first id a list holds twice (a batch reusing one of its own ids). */
export function repeatedId(ids: readonly RequestId[]): RequestId | undefined {
  const seen = new Set<RequestId>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

export const DUPLICATE_ID_MESSAGE = 'Invalid Request: request id already in use on this session; wait for its answer or send another id.';

/** Answers a request whose id is already in flight: HTTP 400 with a JSON-RPC error carrying that id, so the client can tell which request it was. */
export function rejectDuplicateId(res: ServerResponse, id: RequestId): void {
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(jsonRpcError(JSON_RPC.invalidRequest, DUPLICATE_ID_MESSAGE, id)));
}

/** The outcome of {@link InFlightIds.claim}. */
export type Claim =
  /** An id of the body is already in flight on this session (or repeated inside the batch): nothing was claimed. */
  | { readonly inUse: RequestId }
  /** Claimed. Call `settled()` once the transport has handled the POST: ids it never handed to the SDK are freed. */
  | { readonly inUse?: undefined; settled(): void };

export interface InFlightIds {
  /** Claims the request ids of one POST body for as long as the SDK works on them. */
  claim(body: unknown): Claim;
  /** How many ids are claimed (tests and diagnostics). */
  readonly size: number;
}

/**
 * The request ids in flight on one session's transport. The SDK's Streamable HTTP transport maps each
 * response to its HTTP stream by request id alone: a second request reusing an id in flight overwrites
 * the first one's entry, so the first HTTP request never gets an answer (and the second may get the
 * first one's). The SDK has no hook for "this request is answered", so the transport's `onmessage`
 * (the SDK accepted the request) and `send` (its response left) are wrapped here; call this after
 * `server.connect(transport)`, which installs `onmessage`.
 *
 * An id is in flight from the moment its POST arrives until its response is sent, or it is cancelled
 * (`notifications/cancelled`: the SDK then never answers it), or — for a POST the transport refused
 * before handing it to the SDK (bad header, closed session) — until the transport is done with it. A
 * client that disconnects does not free its ids early: the SDK still works on them and would misroute
 * the answer.
 */
export function trackInFlightIds(transport: Transport): InFlightIds {
  /** Claimed by a POST (its claim token) whose messages the SDK has not received yet. */
  const pending = new Map<RequestId, symbol>();
  /** Received by the SDK, not answered yet. */
  const accepted = new Set<RequestId>();

  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const id = requestIdOf(message);
    if (id !== undefined) {
      pending.delete(id);
      accepted.add(id);
    }
    const cancelled = cancelledIdOf(message);
    if (cancelled !== undefined) accepted.delete(cancelled);
    deliver?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const answered = responseIdOf(message);
    if (answered !== undefined) accepted.delete(answered);
    return send(message, options);
  };

  return {
    claim(body) {
      const ids = requestIds(body);
      const clash = repeatedId(ids) ?? ids.find((id) => pending.has(id) || accepted.has(id));
      if (clash !== undefined) return { inUse: clash };
      const claim = Symbol('claim');
      for (const id of ids) pending.set(id, claim);
      return {
        // The transport hands a POST's messages to the SDK before it resolves: ids still pending were refused
        // (bad header, closed session, body the SDK could not parse). Only this POST's claims are freed.
        settled: () => ids.forEach((id) => pending.get(id) === claim && pending.delete(id)),
      };
    },
    get size() {
      return pending.size + accepted.size;
    },
  };
}
