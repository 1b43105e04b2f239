import { StoreError } from './todo-repository.js';
/** Plain words for the OS errors a store meets in practice; the code stays in brackets for searching. */
const REASONS = new Map([
    ['ENOSPC', 'no space left on device'],
    ['EDQUOT', 'disk quota exceeded'],
    ['EROFS', 'read-only file system'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted'],
    ['EISDIR', 'is a directory'],
    ['ENOTDIR', 'a parent path is not a directory'],
    ['ENOENT', 'no such file or directory'],
    ['EIO', 'input/output error'],
    ['EFBIG', 'file too large'],
    ['EMFILE', 'too many open files'],
    ['EBUSY', 'resource busy'],
]);
/** "no space left on device (ENOSPC)" for an fs error, or its message for anything else. */
export function describeFsError(error) {
    const code = error?.code;
    if (typeof code === 'string')
        return `${REASONS.get(code) ?? 'system error'} (${code})`;
    return error instanceof Error ? error.message : String(error);
}
/** The error every caller of a failed durable write receives. */
export function writeFailed(path, error) {
    if (error instanceof StoreError)
        return error;
    return new StoreError('STORE_WRITE_FAILED', `Could not save todos to ${path}: ${describeFsError(error)}. ` +
        'The change was not saved and the data file still holds what it held before; retry once the problem is fixed.', { cause: error });
}
/** The error for a data file that exists but cannot be read. */
export function unreadable(path, error) {
    return new StoreError('STORE_UNREADABLE', `Cannot read the todo store ${path}: ${describeFsError(error)}. Check the path and its permissions.`, { cause: error });
}
/** The errno code of an fs error, if it has one. */
export function errorCode(error) {
    const code = error?.code;
    return typeof code === 'string' ? code : undefined;
}
//# sourceMappingURL=fs-failure.js.map