import { randomBytes } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientError } from './client-error.js';
function parseHolder(text) {
    const [pid, since] = text.split(' ').map(Number);
    return Number.isInteger(pid) && Number.isFinite(since) ? { pid: pid, since: since } : undefined;
}
function isRunning(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: it exists but belongs to someone else.
        return error.code === 'EPERM';
    }
}
/**
 * Runs `fn` while holding an exclusive lock file, so that several todo-mcp processes never refresh the
 * same (rotating) refresh token at once or lose each other's writes. A lock left by a process that died
 * (its pid is gone, or it is older than `staleMs`) is taken over.
 */
export async function withFileLock(options, fn) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const staleMs = options.staleMs ?? 120_000;
    const pollMs = options.pollMs ?? 25;
    const stamp = `${process.pid} ${Date.now()} ${randomBytes(8).toString('hex')}`;
    const deadline = Date.now() + timeoutMs;
    let holder;
    for (;;) {
        try {
            const handle = await open(options.path, 'wx', 0o600);
            try {
                await handle.writeFile(stamp, 'utf8');
            }
            finally {
                await handle.close();
            }
            break;
        }
        catch (error) {
            if (error.code !== 'EEXIST') {
                throw new ClientError('store_error', `Cannot create the lock file ${options.path}: ${error.message}`, { cause: error });
            }
        }
        const text = await readFile(options.path, 'utf8').catch(() => '');
        holder = parseHolder(text);
        // An empty file is a holder between open() and write(): wait for it like any other.
        if (holder && (!isRunning(holder.pid) || Date.now() - holder.since > staleMs)) {
            await rm(options.path, { force: true });
            continue;
        }
        if (Date.now() >= deadline) {
            throw new ClientError('store_error', `Another todo-mcp process${holder ? ` (pid ${holder.pid})` : ''} has held ${options.path} for more than ${Math.round(timeoutMs / 1000)} s. ` +
                'If no other todo-mcp is running, delete that file.');
        }
        await sleep(pollMs);
    }
    try {
        return await fn();
    }
    finally {
        const current = await readFile(options.path, 'utf8').catch(() => '');
        if (current === stamp)
            await rm(options.path, { force: true });
    }
}
//# sourceMappingURL=file-lock.js.map