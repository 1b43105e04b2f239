// A bearer token in any spelling, a JWT wherever it appears, and the password of any `scheme://user:pass@`
// URL (postgres:// connection strings above all).
const BEARER = /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s@/]*@/gi;

/**
 * `text` with credentials masked. Our own messages never hold one; this guards text that comes from
 * elsewhere (a driver's error, a library's stack) before it reaches a log line.
 */
export function maskCredentials(text: string): string {
  return text.replace(BEARER, 'Bearer [redacted]').replace(JWT, '[redacted token]').replace(URL_PASSWORD, '$1:***@');
}

/** What the log keeps of an error: its kind, code, message and stack, each masked; never its other properties. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: maskCredentials(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: maskCredentials(error.message),
    ...(error.stack ? { stack: maskCredentials(error.stack) } : {}),
  };
}
