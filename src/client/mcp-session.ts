import { ClientError } from './client-error.js';
import { connectMcpClient, type McpClient } from './mcp-client.js';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { McpHttpError } from './mcp-errors.js';
import { createRecovery, MAX_AUTH_ATTEMPTS, usableEntry, type SessionAuthOptions } from './session-auth.js';
import type { TokenEntry } from './token-store.js';

export interface McpSessionOptions extends SessionAuthOptions {
  /** Name and version sent in `initialize`. Default: todo-mcp and its package.json version. */
  readonly clientInfo?: { name: string; version: string };
  /** End-to-end deadline of each MCP request, in milliseconds. Default: 60 000. */
  readonly timeoutMs?: number;
}

/**
 * Connects to the MCP server with the stored token (refreshed when expired) and runs `fn`; refusals go
 * through {@link createRecovery} (refresh, login, step-up, each at most once).
 */
export async function withMcpSession<T>(options: McpSessionOptions, fn: (client: McpClient, entry: TokenEntry | undefined) => Promise<T>): Promise<T> {
  const { serverUrl } = options;
  let entry = await usableEntry(options);
  const recover = createRecovery(options);

  for (let attempt = 1; ; attempt += 1) {
    let client: McpClient | undefined;
    try {
      client = await connectMcpClient({
        url: serverUrl,
        ...(entry ? { token: entry.accessToken } : {}),
        ...(options.clientInfo ? { clientInfo: options.clientInfo } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        // Ctrl-C cancels the request in flight (notifications/cancelled) and ends the session quickly.
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return await fn(client, entry);
    } catch (error) {
      const refusal = error instanceof McpHttpError && (error.status === 401 || error.status === 403) ? error : undefined;
      if (!refusal || attempt >= MAX_AUTH_ATTEMPTS) throw translate(error, serverUrl);
      entry = await recover({ status: refusal.status as 401 | 403, wwwAuthenticate: refusal.wwwAuthenticate, cause: error }, entry);
    } finally {
      await client?.close();
    }
  }
}

/** The transport's errors (mcp-errors.ts) as ClientErrors that name the server; anything else unchanged. */
function translate(error: unknown, serverUrl: string): unknown {
  if (!isTodoMcpError(error) || error instanceof ClientError) return error;
  switch (error.code) {
    case 'http_error':
      return new ClientError('server_error', `${serverUrl}: ${error.message}.`, { cause: error });
    case 'rpc_error':
      return new ClientError('rpc_error', `${serverUrl} answered: ${error.message}`, { cause: error });
    case 'protocol_violation':
      return new ClientError('protocol_violation', `${serverUrl} is not usable as an MCP server: ${error.message}.`, { cause: error });
    default:
      return error;
  }
}
