import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { TodoMcpError } from '../errors/todo-mcp-error.js';
import { errorCode } from './fs-error.js';
import { PRIVATE_FILE_MODE } from './private-mode.js';

/** Who holds a lock, as written (one JSON line) in the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** ISO 8601 time the lock was taken. */
  readonly startedAt: string;
  /** Linux boot id: a lock written before the last reboot is stale whatever its pid. */
  readonly bootId?: string;
  /** Tells this holder's lock apart from a later one by the same pid: only the owner releases it. */
  readonly token: string;
}

export interface FileLock {
  /** The lock file. */
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours (never someone else's that took over). */
  release(): Promise<void>;
}

export interface FileLockOptions {
  /** The lock file: created exclusively, removed on release. Required. */
  readonly path: string;
  /** How long to wait for a live holder, in milliseconds; 0 fails at once. Default: 0. */
  readonly waitMs?: number;
  /** Time between attempts while waiting, in milliseconds. Default: 25. */
  readonly pollMs?: number;
  /**
   * A lock older than this (in milliseconds) counts as abandoned even when a process with its pid runs
   * (pids are reused) or it is another host's; for locks held briefly. Undefined: a lock is held for as
   * long as its process lives. Default: undefined.
   */
  readonly staleAfterMs?: number;
  /** Aborting it ends the wait: acquiring then rejects with `signal.reason`. Default: none. */
  readonly signal?: AbortSignal;
  /** This host's name, written in the lock and compared with a holder's. Default: os.hostname(). */
  readonly hostname?: string;
}

/** `lock_held`: a live holder; `lock_unreadable`: the file is not a lock this program wrote; `lock_contended`: others kept taking it. */
export type FileLockErrorCode = 'lock_held' | 'lock_unreadable' | 'lock_contended';

/** Why a lock could not be taken; each layer turns it into its own error and advice. */
export class FileLockError extends TodoMcpError<FileLockErrorCode> {
  override readonly name = 'FileLockError';
  readonly path: string;
  /** `held`: a live holder; `unreadable`: the file is not a lock this program wrote; `contended`: others kept taking it. */
  readonly reason: 'held' | 'unreadable' | 'contended';
  /** The holder when `held`. */
  readonly holder: LockHolder | undefined;

  constructor(path: string, reason: FileLockError['reason'], holder?: LockHolder, hostname: string = osHostname()) {
    super(`lock_${reason}`, describe(path, reason, holder, hostname));
    this.path = path;
    this.reason = reason;
    this.holder = holder;
  }

  /**
   * The whole story for a user: `<subject> is in use: <what>. <advice> If nothing uses it any more, delete
   * <lock> and try again.` `advice` (what to do about a live holder) is left out when there is none.
   */
  explain(subject: string, advice: string): string {
    if (this.reason === 'contended') return `${subject} could not be locked: ${this.message}. Try again.`;
    const forHolder = this.reason === 'held' ? `${advice} ` : '';
    return `${subject} is in use: ${this.message}. ${forHolder}If nothing uses it any more, delete ${this.path} and try again.`;
  }
}

function describe(path: string, reason: FileLockError['reason'], holder: LockHolder | undefined, hostname: string): string {
  if (reason === 'unreadable') return `its lock ${path} holds something that is not a lock this program wrote`;
  if (reason === 'contended' || holder === undefined) return `other processes kept taking its lock ${path}`;
  const where = holder.hostname === hostname ? '' : ` on another host (${holder.hostname}), which cannot be checked from here`;
  return `its lock ${path} is held by process ${holder.pid}${where} (taken ${holder.startedAt})`;
}

// Retries without waiting (the holder let go, or a stale lock was moved aside) before a pause is due.
const QUICK_RETRIES = 5;

/**
 * Takes an exclusive lock file holding pid, host, boot id, start time and a token. A lock whose process
 * is gone (kill -9, power loss, reboot) or that is older than `staleAfterMs` is taken over; a live one is
 * waited for up to `waitMs`, then a {@link FileLockError}. The lock appears complete or not at all (hard
 * link of a written temp file), so no reader ever sees it half-written. Other fs failures are thrown as is.
 */
export async function acquireFileLock(options: FileLockOptions): Promise<FileLock> {
  const { path, waitMs = 0, pollMs = 25, staleAfterMs, signal, hostname = osHostname() } = options;
  signal?.throwIfAborted();
  const started = Date.now();
  const bootId = await readBootId();
  // node:crypto loads with the first lock (~2 ms of Node's own modules): a CLI command that only reads never pays for it.
  const { randomUUID } = await import('node:crypto');
  const holder: LockHolder = { pid: process.pid, hostname, startedAt: new Date().toISOString(), ...(bootId ? { bootId } : {}), token: randomUUID() };
  const raw = `${JSON.stringify(holder)}\n`;
  const temp = `${path}.${holder.token}.tmp`;
  await writeFile(temp, raw, { mode: PRIVATE_FILE_MODE });
  try {
    let quick = 0;
    for (;;) {
      try {
        await createExclusive(path, temp, raw);
        return { path, holder, release: () => releaseIfOwn(path, raw) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const current = await readHolder(path);
      let blocked: FileLockError | undefined;
      if (current !== undefined) {
        if (await isAbandoned(path, current.holder, { hostname, bootId, staleAfterMs })) await takeOver(path, current.raw, holder.token);
        else blocked = new FileLockError(path, current.holder === 'unreadable' ? 'unreadable' : 'held', current.holder === 'unreadable' ? undefined : current.holder, hostname);
      }
      if (blocked === undefined && quick < QUICK_RETRIES) {
        quick += 1;
        continue;
      }
      if (Date.now() - started >= waitMs) throw blocked ?? new FileLockError(path, 'contended');
      await sleep(pollMs, undefined, { signal }).catch((error: unknown) => {
        signal?.throwIfAborted();
        throw error;
      });
      quick = 0;
    }
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

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

/**
 * Abandoned: older than `staleAfterMs` (by its start time, or its file's age when unreadable), or on this
 * host and either rebooted since or without a process of that pid (ESRCH; EPERM means someone else's, alive).
 */
async function isAbandoned(
  path: string,
  holder: LockHolder | 'unreadable',
  here: { hostname: string; bootId: string | undefined; staleAfterMs: number | undefined },
): Promise<boolean> {
  const { hostname, bootId, staleAfterMs } = here;
  if (holder === 'unreadable') {
    if (staleAfterMs === undefined) return false;
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > staleAfterMs;
  }
  if (staleAfterMs !== undefined && Date.now() - Date.parse(holder.startedAt) > staleAfterMs) return true;
  if (holder.hostname !== hostname) return false;
  if (bootId !== undefined && holder.bootId !== undefined && holder.bootId !== bootId) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

/** Creates `path` with the content of `temp` only if it does not exist, in one step so no reader sees it half-written. */
async function createExclusive(path: string, temp: string, raw: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await writeFile(path, raw, { flag: 'wx', mode: PRIVATE_FILE_MODE }); // no hard links on this file system
  }
}

/**
 * Moves an abandoned lock aside. If a racing process replaced it meanwhile, what was moved is a live
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

async function releaseIfOwn(path: string, raw: string): Promise<void> {
  const current = await readHolder(path);
  if (current !== undefined && current.raw === raw) await rm(path, { force: true });
}
