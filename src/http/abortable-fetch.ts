/**
 * `fetchImpl` with `signal` added to every request (beside a request's own timeout signal, if it has one),
 * so helpers that take a fetch (discovery, registration, openid-client's hook) stop on Ctrl-C without each
 * growing a signal option. Without a signal, `fetchImpl` itself.
 */
export function abortableFetch(fetchImpl: typeof fetch, signal: AbortSignal | undefined): typeof fetch {
  if (!signal) return fetchImpl;
  return (input, init) => fetchImpl(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
