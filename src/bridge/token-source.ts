import { statSync } from 'node:fs';
import { ClientError } from '../client/client-error.js';
import { rejectWhenAborted } from '../errors/interrupted.js';
import { usableEntry, type Recovery, type Refusal, type SessionAuthOptions } from '../client/session-auth.js';
import { isExpired, type TokenEntry } from '../client/token-store.js';

/** The bridge's view of its login, shared by every request it forwards. */
export interface TokenSource {
  /** The entry to send with: the stored one (re-read when the token file changed), refreshed when expired. */
  current(): Promise<TokenEntry | undefined>;
  /**
   * After the server refused `used`: runs `recovery` once for every request refused meanwhile (one
   * refresh, one browser), and lets them all try again with its result or fail with its error. An
   * `interactive` request (one that may log in) does not take the failure of a quiet recovery (a
   * background stream's, which may only refresh) as its own: it tries again and recovers itself.
   *
   * `signal` (an interactive request's, aborted when the host cancels it) ends that request's wait at
   * once; when every host request waiting on a recovery has been cancelled, the recovery itself is
   * abandoned (the login stops waiting: its listener is closed). Default: none (it waits to the end, and
   * does not keep the recovery from being abandoned).
   */
  recover(refusal: Refusal, used: TokenEntry | undefined, recovery: Recovery, interactive: boolean, signal?: AbortSignal): Promise<void>;
}

export interface TokenSourceOptions extends SessionAuthOptions {
  /** Notes for the person reading stderr (an abandoned login). Default: none. */
  readonly log?: (line: string) => void;
}

/** A recovery under way and who waits on it. */
interface Shared {
  readonly promise: Promise<void>;
  readonly interactive: boolean;
  readonly controller: AbortController;
  /** Signals of the interactive waiters the host may still cancel. */
  readonly cancellable: Set<AbortSignal>;
}

/**
 * A bridge runs for hours, so unlike `call` it cannot read its token once. It keeps the entry in memory
 * and looks at the token file's identity (inode, mtime, size) before each request, so a `todo-mcp login`,
 * `logout` or refresh made by another process takes effect on the next message without re-reading and
 * re-parsing the file every time. Writes to the file are atomic renames, so a change always shows.
 *
 * The stat is synchronous on purpose: it is one syscall on a small local file (a few µs), while the
 * promise version goes through the thread pool and back, which cost ~100 µs of wall time per message in
 * the bridge bench on a busy machine (src/bridge is on the path of every call; see bench/sections/bridge.mjs).
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  let entry: TokenEntry | undefined;
  let seen: string | undefined;
  let loading: Promise<TokenEntry | undefined> | undefined;
  let recovering: Shared | undefined;

  const fileStamp = (): string => {
    try {
      const s = statSync(options.store.path, { throwIfNoEntry: false });
      return s ? `${s.ino}:${s.mtimeMs}:${s.size}` : 'none';
    } catch {
      // Unreadable (EACCES, …): reading the store says so properly, as a store_error naming the file.
      return 'unreadable';
    }
  };

  const load = (stamp: string) =>
    (loading ??= usableEntry(options)
      .then((found) => {
        entry = found;
        seen = stamp;
        return found;
      })
      .finally(() => {
        loading = undefined;
      }));

  return {
    async current() {
      if (loading) return loading;
      const stamp = fileStamp();
      if (stamp === seen && !(entry && isExpired(entry))) return entry;
      return load(stamp);
    },
    async recover(refusal, used, recovery, interactive, signal) {
      signal?.throwIfAborted();
      if (recovering) {
        const shared = recovering;
        if (!interactive) return shared.promise;
        return wait(shared, shared.interactive ? shared.promise : shared.promise.catch(() => undefined), signal, options.log);
      }
      // Another request already replaced the refused token: trying again with the new one is all it takes.
      if (used?.accessToken !== entry?.accessToken) return;
      const controller = new AbortController();
      const promise = recovery(refusal, used, controller.signal)
        .then((next) => {
          entry = next;
        })
        .finally(() => {
          recovering = undefined;
        });
      const shared: Shared = { promise, interactive, controller, cancellable: new Set() };
      recovering = shared;
      return interactive ? wait(shared, promise, signal, options.log) : promise;
    },
  };
}

/**
 * One interactive wait for `shared`. A host request's (with its `signal`) ends when the host cancels it,
 * and the last of them to end that way abandons the recovery, so a login nobody waits for any more does
 * not hold its listener open until its timeout. Waits without a signal ride along without holding the
 * login: a notification or an answer to the server (a `notifications/cancelled` among them) is moot once
 * no request wants the login, and the bridge's own initialize runs inside a host request's send.
 */
function wait(shared: Shared, outcome: Promise<void>, signal: AbortSignal | undefined, log?: (line: string) => void): Promise<void> {
  if (!signal) return outcome;
  shared.cancellable.add(signal);
  const onAbort = () => {
    shared.cancellable.delete(signal);
    // A quiet recovery (a refresh a background stream started) is not the host's to abandon.
    if (!shared.interactive || shared.cancellable.size > 0 || shared.controller.signal.aborted) return;
    log?.('the host cancelled every request waiting for the login; stopped waiting for it.');
    shared.controller.abort(new ClientError('login_failed', 'The host cancelled every request that was waiting for the login, so the login was abandoned.'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return Promise.race([outcome, rejectWhenAborted(signal, 'waiting for the login')]).finally(() => {
    signal.removeEventListener('abort', onAbort);
    shared.cancellable.delete(signal);
  });
}
