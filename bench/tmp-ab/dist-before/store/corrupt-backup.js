import { constants, copyFile } from 'node:fs/promises';
import { StoreError } from './todo-repository.js';
import { describeFsError, errorCode } from './fs-failure.js';
/**
 * Copies a file that failed to load to `<path>.corrupt-<timestamp>` and returns the STORE_CORRUPT error to
 * throw. The original is never touched: someone may want to repair it by hand, and the store refuses to
 * start rather than silently replace it with an empty one.
 */
export async function corruptError(path, detail, cause, now = new Date()) {
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    let backup;
    let backupFailure;
    for (let attempt = 0; attempt < 5 && backup === undefined; attempt += 1) {
        const candidate = `${path}.corrupt-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
        try {
            await copyFile(path, candidate, constants.COPYFILE_EXCL);
            backup = candidate;
        }
        catch (error) {
            backupFailure = error;
            if (errorCode(error) !== 'EEXIST')
                break;
        }
    }
    const saved = backup === undefined
        ? `writing a backup copy failed (${describeFsError(backupFailure)})`
        : `a backup copy was written to ${backup}`;
    return new StoreError('STORE_CORRUPT', `The todo store ${path} is corrupt: ${detail}. The file was left untouched and ${saved}. ` +
        'Repair the file or move it away (the store then starts empty), and start again.', { cause });
}
//# sourceMappingURL=corrupt-backup.js.map