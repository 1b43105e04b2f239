import { describeNetworkError } from '../http/network-error.js';
import { parseBearerChallenge, type BearerChallenge } from './bearer-challenge.js';
import { ClientError } from './client-error.js';
import { initializeParams } from './mcp-protocol.js';

/**
 * Sends an unauthenticated MCP `initialize` to learn how the server wants to be authorized: its 401
 * challenge (`resource_metadata`, `scope`). A server that answers without asking for a token yields
 * undefined (its session, if it opened one, is closed again); discovery then uses the well-known URIs.
 */
export async function probeServer(serverUrl: string, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<BearerChallenge | undefined> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetchImpl(serverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: initializeParams(),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ClientError('unreachable', `Cannot reach ${serverUrl}: ${describeNetworkError(error, timeoutMs)}.`, { cause: error });
  }
  await response.body?.cancel().catch(() => undefined);
  const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
  const session = response.headers.get('mcp-session-id');
  if (response.ok && session) {
    await fetchImpl(serverUrl, { method: 'DELETE', headers: { 'mcp-session-id': session }, signal: AbortSignal.timeout(timeoutMs) })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }
  return challenge;
}
