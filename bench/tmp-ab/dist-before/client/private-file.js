import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
/** Owner-only permissions for secrets on disk. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** Creates `dir` (and parents) owner-only when missing; an existing directory is left as the user set it. */
export async function ensurePrivateDir(dir) {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}
/**
 * Replaces `path` with `data`, created 0600 from the first byte (never world-readable, not even
 * briefly), so that a crash leaves the old or the new content, never a torn file: write a temp file
 * beside it, fsync, rename over it, fsync the directory.
 */
export async function writePrivateFileAtomic(path, data) {
    const dir = dirname(path);
    await ensurePrivateDir(dir);
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
    }
    catch (error) {
        await handle.close();
        await rm(temp, { force: true });
        throw error;
    }
    await handle.close();
    try {
        await rename(temp, path);
    }
    catch (error) {
        await rm(temp, { force: true });
        throw error;
    }
    const dirHandle = await open(dir, 'r');
    try {
        await dirHandle.sync();
    }
    finally {
        await dirHandle.close();
    }
}
/** Narrows a file that others can read (e.g. copied in by hand) back to 0600. */
export async function tightenFileMode(path) {
    const info = await stat(path).catch(() => undefined);
    if (info && (info.mode & 0o077) !== 0)
        await chmod(path, PRIVATE_FILE_MODE);
}
//# sourceMappingURL=private-file.js.map