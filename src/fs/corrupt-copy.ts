import { constants, copyFile } from 'node:fs/promises';
import { describeFsError, errorCode } from './fs-error.js';

/** What {@link keepCorruptCopy} did. */
export interface CorruptCopy {
  /** Where the copy is, or undefined when it could not be written. */
  readonly path: string | undefined;
  /** For the error message: "a backup copy was written to …" or "writing a backup copy failed (…)". */
  readonly summary: string;
}

/**
 * Copies a file that failed to load to `<path>.corrupt-<time>` (a `-1`…`-4` suffix when that name is
 * taken), never touching the original: someone may want to repair it by hand, and a caller that then
 * says "move it away" loses nothing. Never throws; the caller builds its own error around `summary`.
 */
export async function keepCorruptCopy(path: string, now: Date = new Date()): Promise<CorruptCopy> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let failure: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const candidate = `${path}.corrupt-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    try {
      await copyFile(path, candidate, constants.COPYFILE_EXCL);
      return { path: candidate, summary: `a backup copy was written to ${candidate}` };
    } catch (error) {
      failure = error;
      if (errorCode(error) !== 'EEXIST') break;
    }
  }
  return { path: undefined, summary: `writing a backup copy failed (${describeFsError(failure)})` };
}
