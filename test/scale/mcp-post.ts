import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

/** What one raw tools/call answered, read whole. */
export interface ToolAnswer {
  status: number;
  /** A tool result arrived (status 200 with a JSON-RPC result carrying this request's id). */
  answered: boolean;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
  text: string;
}

/**
 * One tools/call POSTed to a stateless server, no SDK: the exact HTTP status and body are what the test
 * judges (an acknowledged write is a 200 carrying the result). Network failures reject.
 */
export async function postToolCall(url: string, token: string, name: string, args: Record<string, unknown>, options: { id?: number | string; timeoutMs?: number } = {}): Promise<ToolAnswer> {
  const id = options.id ?? 1;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const body = await response.text();
  let message: { id?: unknown; result?: { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> } } | undefined;
  try {
    message = JSON.parse(body);
  } catch {
    message = undefined;
  }
  const result = response.status === 200 && message?.id === id ? message.result : undefined;
  return {
    status: response.status,
    answered: result !== undefined,
    isError: result?.isError === true,
    structured: result?.structuredContent,
    text: result ? (result.content ?? []).map((part) => part.text ?? '').join('\n') : body.slice(0, 300),
  };
}
