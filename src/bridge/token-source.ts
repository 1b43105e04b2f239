import { statSync } from 'node:fs';
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
   */
  recover(refusal: Refusal, used: TokenEntry | undefined, recovery: Recovery, interactive: boolean): Promise<void>;
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
export function createTokenSource(options: SessionAuthOptions): TokenSource {
  let entry: TokenEntry | undefined;
  let seen: string | undefined;
  let loading: Promise<TokenEntry | undefined> | undefined;
  let recovering: { promise: Promise<void>; interactive: boolean } | undefined;

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
    async recover(refusal, used, recovery, interactive) {
      if (recovering) {
        const shared = recovering;
        return interactive && !shared.interactive ? shared.promise.catch(() => undefined) : shared.promise;
      }
      // Another request already replaced the refused token: trying again with the new one is all it takes.
      if (used?.accessToken !== entry?.accessToken) return;
      const promise = recovery(refusal, used)
        .then((next) => {
          entry = next;
        })
        .finally(() => {
          recovering = undefined;
        });
      recovering = { promise, interactive };
      return promise;
    },
  };
}
