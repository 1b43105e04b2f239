/** True when `error` is fetch giving up because its AbortSignal (e.g. `AbortSignal.timeout`) fired. */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** The network reason hidden in undici's `cause` (ECONNREFUSED, ENOTFOUND, …) or a timeout. */
export function describeNetworkError(error: unknown, timeoutMs?: number): string {
  if (isTimeoutError(error)) return timeoutMs ? `timed out after ${timeoutMs} ms` : 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** True when `error` is a failed fetch (network level), as opposed to an HTTP answer. */
export function isNetworkError(error: unknown): boolean {
  return isTimeoutError(error) || (error instanceof TypeError && error.message === 'fetch failed');
}
