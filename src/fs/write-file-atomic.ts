import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PRIVATE_FILE_MODE } from './private-mode.js';
import { syncDirectory, writeFileSynced } from './synced-write.js';

/**
 * Replaces `path` with `data` so that a crash leaves the old or the new content, never a torn file: write
 * a temp file beside it (created with `mode` from the first byte, so never briefly world-readable), fsync,
 * rename over, fsync the directory. Default mode: {@link PRIVATE_FILE_MODE}.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): Promise<void> {
  const dir = dirname(path);
  // node:crypto loads when first written with (~2 ms of Node's own modules): the CLI's reads never pay for it.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    await writeFileSynced(temp, bytes, { flag: 'wx', mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}
