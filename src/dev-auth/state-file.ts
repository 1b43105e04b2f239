import { acquireFileLock, FileLockError, type FileLock } from '../fs/file-lock.js';
import { keepCorruptCopy } from '../fs/corrupt-copy.js';
import { describeFsError } from '../fs/fs-error.js';
import { readFileIfExists } from '../fs/read-file-if-exists.js';
import { DevAuthError } from './dev-auth-error.js';

/**
 * The error for a state file that cannot be used (dev_auth_corrupt), after copying the file to
 * `<path>.corrupt-<time>` so that moving it away (as the message says) loses nothing. The file itself is
 * left as it is.
 */
export async function corruptStateError(path: string, problem: string, cause?: unknown): Promise<DevAuthError> {
  const copy = await keepCorruptCopy(path);
  return new DevAuthError(
    'dev_auth_corrupt',
    `dev-auth: ${path} ${problem}; move it away to start fresh (development sign-ins and tokens are then lost). ` +
      `The file was left untouched and ${copy.summary}.`,
    { cause },
  );
}

/** Reads and parses a JSON state file, or returns undefined when it does not exist. Invalid JSON: {@link corruptStateError}. */
export async function readStateFile(path: string): Promise<unknown> {
  const data = await readFileIfExists(path).catch((error: unknown) => {
    throw new DevAuthError('dev_auth_unwritable', `dev-auth: cannot read ${path}: ${describeFsError(error)}. Check its permissions.`, { cause: error });
  });
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch (error) {
    throw await corruptStateError(path, 'is not valid JSON', error);
  }
}

/**
 * Locks the state directory `dir` (`<dir>.lock`): two servers on one directory would each rewrite the
 * state from their own memory and race to create the keys. Held for as long as the server runs.
 */
export async function lockStateDirectory(dir: string): Promise<FileLock> {
  try {
    return await acquireFileLock({ path: `${dir}.lock` });
  } catch (error) {
    if (!(error instanceof FileLockError)) {
      throw new DevAuthError('dev_auth_unwritable', `dev-auth: cannot lock ${dir}: ${describeFsError(error)}.`, { cause: error });
    }
    // Its state sits beside the todos file, so another todos file in the same directory meets the same lock.
    const advice =
      'Only one development authorization server may use it: stop that process, or give this server a data file in another directory (--data).';
    throw new DevAuthError('dev_auth_locked', error.explain(`The development authorization server's state ${dir}`, advice), { cause: error });
  }
}
