import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientError } from '../client/client-error.js';
import { errorBodyReason } from '../http/error-body.js';
import { describeNetworkError, isNetworkError } from '../http/network-error.js';

const POST_PREFIX = 'Streamable HTTP error: Error POSTing to endpoint: ';

/**
 * Why a message could not be forwarded, as a ClientError that names the server and says what to do:
 * login and scope failures come as they are (the same words `call` prints), the SDK transport's HTTP
 * errors and network failures are put in the same terms.
 */
export function forwardingError(error: unknown, serverUrl: string): ClientError {
  if (error instanceof ClientError) return error;
  if (isNetworkError(error)) {
    return new ClientError('unreachable', `Cannot reach ${serverUrl} (${describeNetworkError(error)}). Is the server running?`, { cause: error });
  }
  if (error instanceof StreamableHTTPError) {
    const text = error.message.startsWith(POST_PREFIX) ? errorBodyReason(error.message.slice(POST_PREFIX.length)) : error.message.replace(/^Streamable HTTP error: /, '');
    if (error.code === -1) return new ClientError('protocol_violation', `${serverUrl} is not usable as an MCP server: ${text}.`, { cause: error });
    const hint = error.code === 404 ? ' Is this the MCP endpoint?' : '';
    return new ClientError('server_error', `${serverUrl} answered HTTP ${error.code}${text ? `: ${text}` : ''}.${hint}`, { cause: error });
  }
  if (error instanceof Error && (error.name === 'ZodError' || error instanceof SyntaxError)) {
    return new ClientError('protocol_violation', `${serverUrl} sent a message that is not valid JSON-RPC.`, { cause: error, detail: error.message });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ClientError('server_error', `Forwarding to ${serverUrl} failed: ${message}`, { cause: error });
}

/**
 * A line for stderr about a failure of the transport's background work (the event stream and its
 * reconnection), or undefined for one not worth a line: the SDK reports a failed reconnection twice,
 * once as it is and once wrapped in "Failed to reconnect SSE stream".
 */
export function describeBackgroundError(error: Error, serverUrl: string): string | undefined {
  if (error.message.startsWith('Failed to reconnect SSE stream:')) return undefined;
  if (error.message.startsWith('SSE stream disconnected:')) return `Lost the event stream from ${serverUrl}; reconnecting.`;
  if (error.message.startsWith('Maximum reconnection attempts')) {
    return `Gave up reconnecting the event stream from ${serverUrl}; messages the server sends between requests wait for the next request.`;
  }
  return `${forwardingError(error, serverUrl).message} (event stream)`;
}
