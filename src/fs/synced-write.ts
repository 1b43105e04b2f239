import { open, type FileHandle } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from './private-mode.js';

/**
 * Makes a rename or file creation in `dir` durable: without this, the new directory entry may vanish in a
 * crash even though the file's content was synced.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes every byte at `position` (a single write may be short, e.g. when the disk fills up). */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position + offset);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    offset += bytesWritten;
  }
}

export interface WriteFileSyncedOptions {
  /** `w` creates or truncates; `wx` refuses an existing file (EEXIST). Default: `w`. */
  readonly flag?: 'w' | 'wx';
  /** Mode of a file this creates, set from the first byte. Default: {@link PRIVATE_FILE_MODE}. */
  readonly mode?: number;
}

/** Writes `data` to `path`, fsyncs and closes it. The caller renames it into place (and syncs the directory). */
export async function writeFileSynced(path: string, data: Uint8Array, options: WriteFileSyncedOptions = {}): Promise<void> {
  const handle = await open(path, options.flag ?? 'w', options.mode ?? PRIVATE_FILE_MODE);
  try {
    await writeAll(handle, data, 0);
    await handle.sync();
  } catch (error) {
    // The write's error is the one worth reporting, not a second one from closing.
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
}
