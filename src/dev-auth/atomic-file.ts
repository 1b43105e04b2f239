import { constants, copyFile, readFile } from 'node:fs/promises';
import { StoreError } from '../store/todo-repository.js';

export { ensurePrivateDir, writeFileAtomic } from '../fs/write-file-atomic.js';

/**
 * The error for a state file that cannot be used: a StoreError (STORE_CORRUPT), which `serve` reports as a
 * start-up failure rather than a bug, after copying the file to `<path>.corrupt-<timestamp>` so that moving
 * it away (as the message says) loses nothing. The file itself is left as it is.
 */
export async function corruptStateError(path: string, problem: string, cause?: unknown): Promise<StoreError> {
  const backup = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const saved = await copyFile(path, backup, constants.COPYFILE_EXCL).then(
    () => `a backup copy was written to ${backup}`,
    (error: NodeJS.ErrnoException) => `writing a backup copy failed (${error.code ?? error.message})`,
  );
  return new StoreError(
    'STORE_CORRUPT',
    `dev-auth: ${path} ${problem}; move it away to start fresh (development sign-ins and tokens are then lost). ` +
      `The file was left untouched and ${saved}.`,
    { cause },
  );
}

/** Reads and parses a JSON file, or returns undefined when it does not exist. Invalid JSON: {@link corruptStateError}. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw await corruptStateError(path, 'is not valid JSON', error);
  }
}
