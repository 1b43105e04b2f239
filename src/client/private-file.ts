import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, writeFileAtomic } from '../fs/write-file-atomic.js';

export { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE };

/** Replaces `path` atomically with `data`, mode 0600, creating its directory 0700 when missing. */
export async function writePrivateFileAtomic(path: string, data: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  await writeFileAtomic(path, data, PRIVATE_FILE_MODE);
}

/** Narrows a file that others can read (e.g. copied in by hand) back to 0600. */
export async function tightenFileMode(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info && (info.mode & 0o077) !== 0) await chmod(path, PRIVATE_FILE_MODE);
}
