import { randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { StoreError } from './todo-repository.js';
import { errorCode, writeFailed } from './fs-failure.js';

/** Who holds a lock, as written in the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  /** Linux boot id: a lock written before the last reboot is stale whatever its pid. */
  readonly bootId?: string;
  readonly token: string;
}

export interface DataLock {
  /** The lock file, `<file>.lock`. */
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

export interface DataLockOptions {
  /** The data file to protect; the lock is `<file>.lock`. Required. */
  file: string;
  /** This host's name, written in the lock and compared with a holder's. Default: os.hostname(). */
  hostname?: string;
  /** What `file` is, as error messages name it. Default: `The todo store <file>`. */
  subject?: string;
  /** What to do when another process holds it. Default: stop that process or use another data file. */
  advice?: string;
}

const DEFAULT_ADVICE = 'Only one server may write a data file: stop that process, or give this one another data file.';

/** How often a stale lock is taken over before giving up (another process racing for it). */
const MAX_ATTEMPTS = 5;

async function readBootId(): Promise<string | undefined> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The holder recorded in `path`: undefined when the file is gone, 'unreadable' when it makes no sense. */
async function readHolder(path: string): Promise<{ holder: LockHolder | 'unreadable'; raw: string } | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    return { holder: 'unreadable', raw: '' };
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockHolder> | null;
    if (Number.isInteger(parsed?.pid) && typeof parsed?.hostname === 'string') return { holder: parsed as LockHolder, raw };
  } catch {
    // fall through
  }
  return { holder: 'unreadable', raw };
}

/** Dead: same host and either rebooted since, or no process with that pid (ESRCH). */
function isStale(holder: LockHolder, hostname: string, bootId: string | undefined): boolean {
  if (holder.hostname !== hostname) return false;
  if (bootId !== undefined && holder.bootId !== undefined && holder.bootId !== bootId) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

function lockedError(subject: string, advice: string, path: string, holder: LockHolder | 'unreadable', hostname: string): StoreError {
  const remedy = `If no todo server is using it, delete ${path} and start again.`;
  if (holder === 'unreadable') {
    return new StoreError('STORE_LOCKED', `${subject} is locked by ${path}, whose content is not a lock this program wrote. ${remedy}`);
  }
  const where = holder.hostname === hostname ? '' : ` on another host (${holder.hostname}), which cannot be checked from here`;
  return new StoreError(
    'STORE_LOCKED',
    `${subject} is already in use by process ${holder.pid}${where} (lock ${path}, taken ${holder.startedAt}). ` +
      `${advice} ${remedy}`,
  );
}

/** Creates `path` holding `text` only if it does not exist, in one step so no reader sees it half-written. */
async function createExclusive(path: string, temp: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await writeFile(path, await readFile(temp), { flag: 'wx', mode: 0o600 }); // no hard links on this file system
  }
}

/**
 * Moves a dead holder's lock aside. If a racing process replaced it meanwhile, what was moved is a live
 * lock: it is put back, and the next attempt sees that holder.
 */
async function takeOver(path: string, staleRaw: string, token: string): Promise<void> {
  const aside = `${path}.stale-${token}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleRaw);
  if (moved !== staleRaw) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

/**
 * Takes the single-writer lock of `file`: `<file>.lock`, holding pid, host, boot id and start time. A lock
 * whose process is gone (kill -9, power loss) is taken over; a live one is a STORE_LOCKED error.
 */
export async function acquireDataLock(options: DataLockOptions): Promise<DataLock> {
  const { file, hostname = osHostname(), subject = `The todo store ${file}`, advice = DEFAULT_ADVICE } = options;
  const path = `${file}.lock`;
  const bootId = await readBootId();
  const holder: LockHolder = { pid: process.pid, hostname, startedAt: new Date().toISOString(), bootId, token: randomUUID() };
  const raw = `${JSON.stringify(holder)}\n`;
  const temp = `${path}.${holder.token}.tmp`;
  try {
    await writeFile(temp, raw, { mode: 0o600 });
  } catch (error) {
    throw writeFailed(path, error);
  }
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      try {
        await createExclusive(path, temp);
        return {
          path,
          holder,
          async release() {
            const current = await readHolder(path);
            if (current !== undefined && current.raw === raw) await rm(path, { force: true });
          },
        };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw writeFailed(path, error);
      }
      const current = await readHolder(path);
      if (current === undefined) continue;
      if (current.holder === 'unreadable' || !isStale(current.holder, hostname, bootId)) {
        throw lockedError(subject, advice, path, current.holder, hostname);
      }
      await takeOver(path, current.raw, holder.token).catch((error: unknown) => {
        throw writeFailed(path, error);
      });
    }
    throw new StoreError('STORE_LOCKED', `${subject} could not be locked: other processes keep taking ${path}. Try again.`);
  } finally {
    await rm(temp, { force: true });
  }
}
