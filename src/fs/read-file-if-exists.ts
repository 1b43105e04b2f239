import { readFile } from 'node:fs/promises';
import { errorCode } from './fs-error.js';

/** The file's bytes, or undefined when it does not exist; any other failure (EACCES, EISDIR, …) is thrown as is. */
export async function readFileIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
