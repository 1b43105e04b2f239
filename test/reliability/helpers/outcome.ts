import type { McpReply } from './mcp-http.js';

/** How the server answered a hostile request, in the terms the suite judges it. */
export type OutcomeKind =
  /** 4xx with a message a person can act on. */
  | '4xx'
  /** A JSON-RPC error object with a message. */
  | 'rpc-error'
  /** A tool result with isError and text. */
  | 'tool-error'
  /** A normal result. */
  | 'ok'
  /** A 202 for a notification. */
  | 'accepted'
  /** Anything else: a 5xx, a 4xx without a message, an empty or unparseable 200. Always a failure. */
  | 'bad';

export interface Outcome {
  kind: OutcomeKind;
  status: number;
  /** The message the answer carried (what a client would show). */
  message: string;
}

function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { error?: unknown; error_description?: unknown };
  if (typeof record.error_description === 'string') return record.error_description;
  const error = record.error as { message?: unknown } | undefined;
  if (typeof error?.message === 'string') return error.message;
  return undefined;
}

/** Classifies a reply; a 4xx or error without a non-empty message is 'bad' (unclear to the user). */
export function classify(reply: McpReply): Outcome {
  const { status } = reply;
  if (status >= 500) return { kind: 'bad', status, message: `HTTP ${status}: ${reply.text.slice(0, 200)}` };
  if (status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
    } catch {
      body = undefined;
    }
    // Node's HTTP parser answers some requests itself (oversized headers: 431) with only a reason phrase.
    const message = messageOf(body) ?? (reply.text === '' ? reply.statusText : undefined);
    return message && message.trim() ? { kind: '4xx', status, message } : { kind: 'bad', status, message: `HTTP ${status} without a message: ${reply.text.slice(0, 200)}` };
  }
  if (status === 202 && reply.text === '') return { kind: 'accepted', status, message: '' };
  const first = reply.messages[0];
  if (!first) return { kind: 'bad', status, message: `HTTP ${status} with no JSON-RPC message: ${reply.text.slice(0, 200)}` };
  const rpcError = messageOf(first);
  if (first.error !== undefined) return rpcError && rpcError.trim() ? { kind: 'rpc-error', status, message: rpcError } : { kind: 'bad', status, message: JSON.stringify(first).slice(0, 200) };
  const result = first.result as { isError?: boolean; content?: Array<{ text?: string }> } | undefined;
  if (result?.isError) {
    const text = (result.content ?? []).map((c) => c.text ?? '').join('\n');
    return text.trim() ? { kind: 'tool-error', status, message: text } : { kind: 'bad', status, message: 'a tool error without text' };
  }
  return { kind: 'ok', status, message: '' };
}

/**
 * A WWW-Authenticate value as RFC 9110 allows it for our Bearer challenges: auth-params whose values are
 * quoted-strings of printable ASCII with `"` and `\` escaped. Anything else could split or forge headers.
 */
export const SAFE_CHALLENGE = /^Bearer(?: [a-z_]+="(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*",?)+$/;
