import { errorBodyReason } from '../http/error-body.js';
import { readText, type HttpResponse } from './http-exchange.js';
import { McpHttpError } from './mcp-errors.js';

/**
 * The error for an MCP endpoint that answered `what` with an HTTP failure status: the status, a short
 * reason from the body (its JSON-RPC error message, else its first line), and the WWW-Authenticate
 * challenge for the session to act on (401 login, 403 step-up).
 */
export async function httpRefusal(response: HttpResponse, what: string): Promise<McpHttpError> {
  const text = await readText(response, 64 * 1024).catch(() => '');
  const reason = errorBodyReason(text);
  const header = response.headers['www-authenticate'];
  return new McpHttpError(response.status, `${what} was answered with HTTP ${response.status}${reason ? `: ${reason}` : ''}`, Array.isArray(header) ? header.join(', ') : header);
}
