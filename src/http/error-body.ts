/**
 * A short reason from an HTTP error answer's body: the JSON-RPC error's message when the body is one (as
 * MCP servers answer refusals), otherwise its first line, cut at 200 characters; '' for an empty body.
 */
export function errorBodyReason(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  try {
    const body = JSON.parse(trimmed) as { error?: { message?: unknown } } | null;
    if (typeof body?.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: the text itself
  }
  const line = trimmed.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
