import { stat } from 'node:fs/promises';
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
 * and looks at the token file's identity (inode, mtime, size: one stat, ~20 µs) before each request, so
 * a `todo-mcp login`, `logout` or refresh made by another process takes effect on the next message
 * without re-reading and re-parsing the file every time. Writes to the file are atomic renames, so a
 * change always shows in the stat.
 */
export function createTokenSource(options: SessionAuthOptions): TokenSource {
  let entry: TokenEntry | undefined;
  let seen: string | undefined;
  let loading: Promise<TokenEntry | undefined> | undefined;
  let recovering: { promise: Promise<void>; interactive: boolean } | undefined;

  const fileStamp = async (): Promise<string> => {
    try {
      const s = await stat(options.store.path);
      return `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return 'none';
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
      const stamp = await fileStamp();
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
