import { TodoMcpError } from './todo-mcp-error.js';

/** The signals that end a command: SIGINT (Ctrl-C) and SIGTERM. */
export type StopSignalName = 'SIGINT' | 'SIGTERM';

/**
 * How long a courtesy request (ending a session with DELETE, `notifications/cancelled`) may take once the
 * user has stopped a command, so that it still ends within a second.
 */
export const COURTESY_AFTER_STOP_MS = 300;

/** `interrupted`: SIGINT (exit 130); `terminated`: SIGTERM (exit 143). */
export type InterruptedErrorCode = 'interrupted' | 'terminated';

/**
 * The reason of the abort signal `main` hands every command: the user stopped it. Whatever wait notices
 * first names itself with {@link interruption} (`interrupted while waiting for the login (SIGINT)`), and
 * every layer above passes the error on unchanged, so the one line the user sees says what was cut short.
 */
export class InterruptedError extends TodoMcpError<InterruptedErrorCode> {
  override readonly name = 'InterruptedError';
  readonly signalName: StopSignalName;
  /** What was going on, e.g. `waiting for the login in the browser`; undefined until a wait names itself. */
  readonly activity: string | undefined;

  constructor(signalName: StopSignalName, activity?: string) {
    const verb = signalName === 'SIGINT' ? 'interrupted' : 'stopped';
    super(signalName === 'SIGINT' ? 'interrupted' : 'terminated', `${verb}${activity ? ` while ${activity}` : ''} (${signalName})`);
    this.signalName = signalName;
    this.activity = activity;
  }
}

/**
 * What to throw when `signal` ended a wait: its reason, named after `activity` unless a deeper wait named
 * it already; a reason that is not an interruption (a caller's own abort) is returned as it is.
 */
export function interruption(signal: AbortSignal, activity: string): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof InterruptedError && reason.activity === undefined) return new InterruptedError(reason.signalName, activity);
  return reason;
}

/**
 * Runs `work` and, when `signal` is aborted before or while it runs, throws {@link interruption} instead of
 * whatever `work` failed with (a request cut by the abort fails as "unreachable", which is not what happened).
 * `work` must itself stop on the signal: this does not race it, so its clean-up (a lock released, a
 * listener closed) is finished when this returns.
 */
export async function interruptible<T>(signal: AbortSignal | undefined, activity: string, work: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw interruption(signal, activity);
  try {
    return await work();
  } catch (error) {
    // A deeper wait that named itself said it more precisely.
    if (error instanceof InterruptedError) throw error;
    if (signal?.aborted) throw interruption(signal, activity);
    throw error;
  }
}

/**
 * Rejects with {@link interruption} once `signal` is aborted: raced against a wait that cannot stop
 * promptly by itself (it checks its signal only now and then, or holds nothing worth cleaning up).
 */
export function rejectWhenAborted(signal: AbortSignal, activity: string): Promise<never> {
  return new Promise((_resolve, reject) => {
    const abort = () => reject(interruption(signal, activity));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/** Resolves with the reason when `signal` is aborted. */
export function whenAborted(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}
