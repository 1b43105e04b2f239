import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, FileLockError, type LockHolder } from '../../src/fs/file-lock.js';

let dir: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-lock-'));
  lock = join(dir, 'x.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has certainly exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('close', () => resolve(child.pid!));
  });
}

const holderLine = (holder: Partial<LockHolder>) =>
  `${JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: 'theirs', ...holder })}\n`;

async function lockError(promise: Promise<unknown>): Promise<FileLockError> {
  const error = await promise.then(
    () => new Error('the lock was taken'),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(FileLockError);
  return error as FileLockError;
}

const FILE_LOCK_JS = fileURLToPath(new URL('../../dist/fs/file-lock.js', import.meta.url));

/** A process that increments a counter file `times` times, each under the lock, with a pause inside. */
function incrementer(counter: string, times: number): Promise<number | null> {
  const script = `
    const { acquireFileLock } = await import(${JSON.stringify(FILE_LOCK_JS)});
    const { readFile, writeFile } = await import('node:fs/promises');
    for (let i = 0; i < ${times}; i++) {
      const lock = await acquireFileLock({ path: ${JSON.stringify(`${counter}.lock`)}, waitMs: 30000, pollMs: 2 });
      try {
        const n = Number(await readFile(${JSON.stringify(counter)}, 'utf8'));
        await new Promise((r) => setTimeout(r, 2));
        await writeFile(${JSON.stringify(counter)}, String(n + 1));
      } finally {
        await lock.release();
      }
    }`;
  return new Promise((resolve) => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('close', resolve));
}

describe('file lock', () => {
  it('serializes read-modify-write across processes: no update is lost, nothing is left behind', { timeout: 60_000 }, async () => {
    const counter = join(dir, 'counter');
    await writeFile(counter, '0');
    const codes = await Promise.all([1, 2, 3, 4].map(() => incrementer(counter, 15)));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(await readFile(counter, 'utf8')).toBe('60');
    expect(await readdir(dir)).toEqual(['counter']);
  });

  it('writes pid, host, start time and a token, mode 0600, and removes the file on release', async () => {
    const taken = await acquireFileLock({ path: lock });
    const holder = JSON.parse(await readFile(lock, 'utf8')) as LockHolder;
    expect(holder).toEqual(taken.holder);
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname(), token: expect.any(String) });
    expect(Date.parse(holder.startedAt)).not.toBeNaN();
    expect((await stat(lock)).mode & 0o777).toBe(0o600);
    await taken.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock left by a process that died', async () => {
    await writeFile(lock, holderLine({ pid: await deadPid() }));
    await (await acquireFileLock({ path: lock })).release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock written before the last reboot, whatever its pid', async () => {
    await writeFile(lock, holderLine({ bootId: 'an-earlier-boot' }));
    const bootId = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => undefined);
    if (bootId === undefined) return; // no boot id on this system: the pid decides (see the case above)
    const taken = await acquireFileLock({ path: lock });
    expect(taken.holder.bootId).toBe(bootId.trim());
    await taken.release();
  });

  it('refuses at once a lock held by a live process, naming it, and leaves that lock alone', async () => {
    const line = holderLine({});
    await writeFile(lock, line);
    const error = await lockError(acquireFileLock({ path: lock }));
    expect(error).toMatchObject({ reason: 'held', path: lock, holder: { pid: process.pid, token: 'theirs' } });
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.explain('The thing', 'Stop it.')).toBe(`The thing is in use: ${error.message}. Stop it. If nothing uses it any more, delete ${lock} and try again.`);
    expect(await readFile(lock, 'utf8')).toBe(line);
  });

  it('waits up to waitMs for a live holder, and gets the lock as soon as it is released', async () => {
    const first = await acquireFileLock({ path: lock });
    const started = Date.now();
    setTimeout(() => void first.release(), 150);
    const second = await acquireFileLock({ path: lock, waitMs: 5_000, pollMs: 10 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(second.holder.token).not.toBe(first.holder.token);
    await second.release();
  });

  it('gives up after waitMs when the holder lives on', async () => {
    await writeFile(lock, holderLine({}));
    const started = Date.now();
    const error = await lockError(acquireFileLock({ path: lock, waitMs: 200, pollMs: 10 }));
    expect(error.reason).toBe('held');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('stops waiting when its signal is aborted, rejecting with the signal reason', async () => {
    await writeFile(lock, holderLine({}));
    const controller = new AbortController();
    const reason = new Error('interrupted');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await expect(acquireFileLock({ path: lock, waitMs: 30_000, signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(acquireFileLock({ path: lock, signal: controller.signal })).rejects.toBe(reason); // already aborted: no attempt
    expect(await readdir(dir)).toEqual(['x.lock']); // no temp file left behind
  });

  it('with staleAfterMs, takes over a lock held longer than that even though its process lives (pid reuse)', async () => {
    await writeFile(lock, holderLine({ startedAt: new Date(Date.now() - 10_000).toISOString() }));
    await expect(lockError(acquireFileLock({ path: lock, staleAfterMs: 60_000 }))).resolves.toMatchObject({ reason: 'held' });
    const taken = await acquireFileLock({ path: lock, staleAfterMs: 5_000 });
    expect(taken.holder.pid).toBe(process.pid);
    await taken.release();
  });

  it('refuses a lock from another host, whose pid cannot be checked, unless it is older than staleAfterMs', async () => {
    const old = new Date(Date.now() - 10_000).toISOString();
    await writeFile(lock, holderLine({ pid: await deadPid(), hostname: 'elsewhere.example', startedAt: old }));
    const error = await lockError(acquireFileLock({ path: lock }));
    expect(error.reason).toBe('held');
    expect(error.message).toContain('elsewhere.example');
    await (await acquireFileLock({ path: lock, staleAfterMs: 5_000 })).release();
  });

  it('refuses a file it cannot make sense of; with staleAfterMs it takes it over once the file is that old', async () => {
    await writeFile(lock, 'not a lock');
    expect((await lockError(acquireFileLock({ path: lock }))).reason).toBe('unreadable');
    expect((await lockError(acquireFileLock({ path: lock, staleAfterMs: 60_000 }))).reason).toBe('unreadable');
    expect(await readFile(lock, 'utf8')).toBe('not a lock');
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(lock, tenSecondsAgo, tenSecondsAgo);
    await (await acquireFileLock({ path: lock, staleAfterMs: 5_000 })).release();
  });

  it('releases only its own lock: one taken over meanwhile stays with its new holder', async () => {
    const mine = await acquireFileLock({ path: lock });
    const theirs = holderLine({ token: 'took-it-over' });
    await writeFile(lock, theirs);
    await mine.release();
    expect(await readFile(lock, 'utf8')).toBe(theirs);
  });

  it('throws the file system error itself when the lock cannot be created at all', async () => {
    await expect(acquireFileLock({ path: join(dir, 'missing', 'x.lock') })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
