import { open, type FileHandle } from 'node:fs/promises';

export { syncDirectory } from '../fs/write-file-atomic.js';

/** Data files hold other people's todos: owner-only by default. */
export const PRIVATE_FILE_MODE = 0o600;

/** Writes every byte at `position` (a single write may be short, e.g. when the disk fills up). */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position + offset);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    offset += bytesWritten;
  }
}

/** Creates or truncates `path`, writes `data`, fsyncs and closes it. The caller renames it into place. */
export async function writeFileSynced(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'w', PRIVATE_FILE_MODE);
  await closeAfter(handle, async () => {
    await writeAll(handle, data, 0);
    await handle.sync();
  });
}

/** Runs `work`, then closes `handle`; an error from `work` wins over one from closing. */
async function closeAfter(handle: FileHandle, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
}
