import { readText, type HttpResponse } from './http-exchange.js';
import { McpHttpError } from './mcp-errors.js';

/**
 * The error for an MCP endpoint that answered `what` with an HTTP failure status: the status, a short
 * reason from the body (its JSON-RPC error message, else its first line), and the WWW-Authenticate
 * challenge for the session to act on (401 login, 403 step-up).
 */
export async function httpRefusal(response: HttpResponse, what: string): Promise<McpHttpError> {
  const text = await readText(response, 64 * 1024).catch(() => '');
  const header = response.headers['www-authenticate'];
  return new McpHttpError(response.status, `${what} was answered with HTTP ${response.status}${detail(text)}`, Array.isArray(header) ? header.join(', ') : header);
}

function detail(text: string): string {
  if (!text.trim()) return '';
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body?.error?.message === 'string') return `: ${body.error.message}`;
  } catch {
    // not JSON: fall through to the text
  }
  const line = text.trim().split('\n')[0]!;
  return `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}
