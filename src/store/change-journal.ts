import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_FILE_MODE } from '../fs/private-mode.js';
import { readFileIfExists } from '../fs/read-file-if-exists.js';
import { syncDirectory, writeAll } from '../fs/synced-write.js';
import { unreadable, writeFailed } from './fs-failure.js';

/** What a journal file held when it was opened. */
export interface JournalContent {
  /** Complete lines (each was fsynced before its write was acknowledged), without their newline. */
  readonly lines: readonly string[];
  /** Length of the complete lines in bytes. */
  readonly validBytes: number;
  /** Bytes after the last newline: an append cut short by a crash, never acknowledged. */
  readonly tornBytes: number;
}

/**
 * An append-only file of changes made since the data file was last rewritten, one JSON line per commit.
 * Appending a few hundred bytes and fsyncing is what keeps a commit cheap when the data file is large.
 */
export interface ChangeJournal {
  readonly path: string;
  /** Bytes of acknowledged lines. */
  readonly bytes: number;
  /**
   * True when the file may hold bytes that were not acknowledged (a failed append could not be cut back).
   * Appending is refused until a reset succeeds.
   */
  readonly dirty: boolean;
  /** Appends one line and fsyncs it; on failure cuts the file back so no partial line stays. */
  append(line: string): Promise<void>;
  /** Empties the file durably (after its content was folded into the data file). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Reads a journal; undefined when there is none. Unreadable files throw store_unreadable. */
export async function readJournal(path: string): Promise<JournalContent | undefined> {
  const data = await readFileIfExists(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  if (data === undefined) return undefined;
  const validBytes = data.lastIndexOf(0x0a) + 1;
  const text = data.subarray(0, validBytes).toString('utf8');
  const lines = validBytes === 0 ? [] : text.slice(0, -1).split('\n');
  return { lines, validBytes, tornBytes: data.length - validBytes };
}

/** Opens the journal at `path` for appending; `content` is what readJournal found there (if anything). */
export async function openJournal(path: string, content: JournalContent | undefined): Promise<ChangeJournal> {
  let handle: FileHandle | undefined;
  let bytes = content?.validBytes ?? 0;
  let dirty = false;

  if (content !== undefined) {
    try {
      handle = await open(path, 'r+');
      if (content.tornBytes > 0) {
        await handle.truncate(bytes);
        await handle.sync();
      }
    } catch {
      // Left as is, the torn tail would sit in front of the next line; until a reset clears it, the
      // store rewrites the whole data file instead of appending.
      dirty = true;
    }
  }

  async function ensureOpen(): Promise<FileHandle> {
    if (handle !== undefined) return handle;
    const created = await open(path, 'w', PRIVATE_FILE_MODE);
    try {
      await syncDirectory(dirname(path));
    } catch (error) {
      await created.close().catch(() => undefined);
      throw error;
    }
    return (handle = created);
  }

  return {
    path,
    get bytes() {
      return bytes;
    },
    get dirty() {
      return dirty;
    },
    async append(line) {
      if (dirty) throw writeFailed(path, new Error('the journal holds an unfinished write'));
      const data = Buffer.from(`${line}\n`, 'utf8');
      let target: FileHandle | undefined;
      try {
        target = await ensureOpen();
        await writeAll(target, data, bytes);
        await target.datasync();
      } catch (error) {
        if (target !== undefined) {
          try {
            await target.truncate(bytes);
            await target.sync();
          } catch {
            dirty = true;
          }
        }
        throw writeFailed(path, error);
      }
      bytes += data.length;
    },
    async reset() {
      if (bytes === 0 && !dirty) return;
      try {
        const target = await ensureOpen();
        await target.truncate(0);
        await target.sync();
      } catch (error) {
        // The length on disk is unknown now: appending at `bytes` could leave a gap of zeros.
        dirty = true;
        throw writeFailed(path, error);
      }
      bytes = 0;
      dirty = false;
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}
