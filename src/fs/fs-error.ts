/** Plain words for the OS errors a file store meets in practice; the code stays in brackets for searching. */
const REASONS: ReadonlyMap<string, string> = new Map([
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
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined) return `${REASONS.get(code) ?? 'system error'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** The errno code of an fs error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
