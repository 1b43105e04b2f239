import { randomBytes } from 'node:crypto';
import { constants, copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../store/todo-repository.js';
/**
 * Replaces `path` with `data` so that a crash leaves either the old or the new file, never a torn
 * one: write a temp file beside it, fsync, rename over, fsync the directory.
 */
export async function writeFileAtomic(path, data, mode = 0o600) {
    const dir = dirname(path);
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', mode);
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
    // The rename itself is only durable once the directory entry is flushed.
    const dirHandle = await open(dir, 'r');
    try {
        await dirHandle.sync();
    }
    finally {
        await dirHandle.close();
    }
}
/**
 * The error for a state file that cannot be used: a StoreError (STORE_CORRUPT), which `serve` reports as a
 * start-up failure rather than a bug, after copying the file to `<path>.corrupt-<timestamp>` so that moving
 * it away (as the message says) loses nothing. The file itself is left as it is.
 */
export async function corruptStateError(path, problem, cause) {
    const backup = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const saved = await copyFile(path, backup, constants.COPYFILE_EXCL).then(() => `a backup copy was written to ${backup}`, (error) => `writing a backup copy failed (${error.code ?? error.message})`);
    return new StoreError('STORE_CORRUPT', `dev-auth: ${path} ${problem}; move it away to start fresh (development sign-ins and tokens are then lost). ` +
        `The file was left untouched and ${saved}.`, { cause });
}
/** Reads and parses a JSON file, or returns undefined when it does not exist. Invalid JSON: {@link corruptStateError}. */
export async function readJsonFile(path) {
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw await corruptStateError(path, 'is not valid JSON', error);
    }
}
/** Creates the data directory owner-only (0700) when it does not exist yet. */
export async function ensurePrivateDir(path) {
    await mkdir(path, { recursive: true, mode: 0o700 });
}
//# sourceMappingURL=atomic-file.js.map