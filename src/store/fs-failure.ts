import { keepCorruptCopy } from '../fs/corrupt-copy.js';
import { describeFsError } from '../fs/fs-error.js';
import { FileLockError } from '../fs/file-lock.js';
import { StoreError } from './todo-repository.js';

/*
 * The todo store's words for what the file system did: every fs-level failure the JSON store meets
 * becomes one of these StoreErrors, whose messages say what happened to the todos and what to do.
 */

/** The error every caller of a failed durable write receives. */
export function writeFailed(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError(
    'store_write_failed',
    `Could not save todos to ${path}: ${describeFsError(error)}. ` +
      'The change was not saved and the data file still holds what it held before; retry once the problem is fixed.',
    { cause: error },
  );
}

/** The error for a data file that exists but cannot be read. */
export function unreadable(path: string, error: unknown): StoreError {
  return new StoreError(
    'store_unreadable',
    `Cannot read the todo store ${path}: ${describeFsError(error)}. Check the path and its permissions.`,
    { cause: error },
  );
}

/**
 * Copies a file that failed to load to `<path>.corrupt-<time>` and returns the store_corrupt error to
 * throw. The original is never touched, and the store refuses to start rather than replace it with an empty one.
 */
export async function corruptError(path: string, detail: string, cause: unknown, now?: Date): Promise<StoreError> {
  const copy = await keepCorruptCopy(path, now);
  return new StoreError(
    'store_corrupt',
    `The todo store ${path} is corrupt: ${detail}. The file was left untouched and ${copy.summary}. ` +
      'Repair the file or move it away (the store then starts empty), and start again.',
    { cause },
  );
}

/** The error for a data file whose single-writer lock could not be taken (another server uses it). */
export function lockFailed(file: string, error: unknown): StoreError {
  if (!(error instanceof FileLockError)) return writeFailed(`${file}.lock`, error);
  const advice = 'Only one server may write a data file: stop that process, or give this one another data file.';
  return new StoreError('store_locked', error.explain(`The todo store ${file}`, advice), { cause: error });
}
