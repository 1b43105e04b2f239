/** One request's way to end: its deadline, or any of the signals it listens to. */
export interface RequestDeadline {
  /** Aborted at the deadline (with `onTimeout()`) or with the first stop signal's reason. */
  readonly signal: AbortSignal;
  /** Clears the timer and the listeners: call it when the request is over, however it ended. */
  dispose(): void;
}

/**
 * A signal for one request that aborts after `limitMs` with `onTimeout()` as the reason, or as soon as one
 * of `stops` (the session's, the caller's) is aborted, with its reason: the request then tells the two apart.
 */
export function requestDeadline(limitMs: number, onTimeout: () => unknown, stops: ReadonlyArray<AbortSignal | undefined>): RequestDeadline {
  const cut = new AbortController();
  const timer = setTimeout(() => cut.abort(onTimeout()), limitMs);
  const listening = stops.filter((s): s is AbortSignal => s !== undefined);
  const onStop = (event: Event) => cut.abort((event.target as AbortSignal).reason);
  for (const stop of listening) stop.addEventListener('abort', onStop, { once: true });
  const stopped = listening.find((s) => s.aborted);
  if (stopped) cut.abort(stopped.reason);
  return {
    signal: cut.signal,
    dispose() {
      clearTimeout(timer);
      for (const stop of listening) stop.removeEventListener('abort', onStop);
    },
  };
}

/** `60 s`, `0.5 s`. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
