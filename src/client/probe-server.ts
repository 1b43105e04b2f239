import { describeNetworkError } from '../http/network-error.js';
import { parseBearerChallenge, type BearerChallenge } from './bearer-challenge.js';
import { initializeParams } from './mcp-protocol.js';

export interface ProbeServerOptions {
  /** fetch implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Timeout of each request, in milliseconds. Default: 10000. */
  readonly timeoutMs?: number;
}

/** What an unauthenticated `initialize` got: no answer at all (`reason` in plain words), or an HTTP status and its challenge. */
export type ProbeResult =
  | { readonly reached: false; readonly reason: string; readonly cause: unknown }
  | { readonly reached: true; readonly status: number; readonly challenge: BearerChallenge | undefined };

/**
 * Sends an unauthenticated MCP `initialize` to learn how the server wants to be authorized: its HTTP
 * status and 401 challenge (`resource_metadata`, `scope`). The one probe of the login and the doctor.
 * A server that answers without asking for a token has its session (if it opened one) closed again.
 * Never throws: each caller decides what an unreachable server means to it.
 */
export async function probeServer(serverUrl: string, options: ProbeServerOptions = {}): Promise<ProbeResult> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetchImpl(serverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: initializeParams() }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { reached: false, reason: describeNetworkError(error, timeoutMs), cause: error };
  }
  await response.body?.cancel().catch(() => undefined);
  const session = response.headers.get('mcp-session-id');
  if (response.ok && session) {
    await fetchImpl(serverUrl, { method: 'DELETE', headers: { 'mcp-session-id': session }, signal: AbortSignal.timeout(timeoutMs) })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }
  return { reached: true, status: response.status, challenge: parseBearerChallenge(response.headers.get('www-authenticate')) };
}
