import { createGroupCommit } from '../fs/group-commit.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { corruptStateError, readStateFile } from './state-file.js';

/** One stored provider artefact (session, grant, refresh token, client…) and when it lapses. */
export interface StoredEntry {
  readonly payload: Record<string, unknown>;
  /** Epoch milliseconds; absent means no expiry. */
  readonly expiresAt?: number;
}

interface StateFile {
  version: 1;
  entries: Record<string, StoredEntry>;
}

/**
 * The provider's state in one JSON file, kept in memory and written back (atomically) after every change.
 * Writes go through the group commit: a change waits for the write that includes it, and changes made
 * while a write is in flight share the next one, so concurrent requests never interleave partial files
 * and every resolved change is on disk.
 */
export interface JsonStateStore {
  get(key: string): StoredEntry | undefined;
  set(key: string, entry: StoredEntry): Promise<void>;
  /** Deletes every key the predicate selects (one write). */
  deleteWhere(predicate: (key: string, entry: StoredEntry) => boolean): Promise<void>;
  /** Live (unexpired) entries whose key starts with `prefix`. */
  scan(prefix: string): Array<[string, StoredEntry]>;
  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void>;
}

export async function openJsonStateStore(options: {
  /** The state file; created on the first change. */
  path: string;
  /** Clock in epoch milliseconds. Default: Date.now. */
  now?: () => number;
}): Promise<JsonStateStore> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, StoredEntry>();
  const loaded = await readStateFile(options.path);
  if (loaded !== undefined) {
    const file = loaded as Partial<StateFile>;
    if (file.version !== 1 || typeof file.entries !== 'object' || file.entries === null) {
      throw await corruptStateError(options.path, 'is not a state file this version understands');
    }
    for (const [key, entry] of Object.entries(file.entries)) entries.set(key, entry);
  }

  const live = (entry: StoredEntry | undefined) =>
    entry !== undefined && (entry.expiresAt === undefined || entry.expiresAt > now()) ? entry : undefined;

  // Each item is "the change just made in memory"; one snapshot, taken when the batch is written, holds them all.
  const writes = createGroupCommit<void, void>(async (batch) => {
    const snapshot: StateFile = { version: 1, entries: {} };
    for (const [key, entry] of entries) {
      if (live(entry)) snapshot.entries[key] = entry;
      else entries.delete(key);
    }
    await writeFileAtomic(options.path, JSON.stringify(snapshot));
    return batch.map(() => undefined);
  });
  const persist = () => writes.submit();

  return {
    get: (key) => live(entries.get(key)),
    set(key, entry) {
      entries.set(key, entry);
      return persist();
    },
    deleteWhere(predicate) {
      let changed = false;
      for (const [key, entry] of entries) {
        if (predicate(key, entry)) {
          entries.delete(key);
          changed = true;
        }
      }
      return changed ? persist() : Promise.resolve();
    },
    scan: (prefix) => [...entries].filter(([key, entry]) => key.startsWith(prefix) && live(entry)),
    flush: () => writes.idle(),
  };
}
