import { chmod, mkdir, stat } from 'node:fs/promises';

/** Owner-only permissions: tokens, keys and other people's todos are never readable by other local users. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and parents) owner-only when missing; an existing directory is left as the user set it. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Narrows a file that others may read (e.g. copied in by hand) back to {@link PRIVATE_FILE_MODE}; a missing file is left missing. */
export async function tightenFileMode(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info && (info.mode & 0o777 & ~PRIVATE_FILE_MODE) !== 0) await chmod(path, PRIVATE_FILE_MODE);
}
