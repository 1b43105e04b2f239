import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_FILE_MODE, syncDirectory, writeAll } from './durable-fs.js';
import { errorCode, unreadable, writeFailed } from './fs-failure.js';
/** Reads a journal; undefined when there is none. Unreadable files throw STORE_UNREADABLE. */
export async function readJournal(path) {
    let data;
    try {
        data = await readFile(path);
    }
    catch (error) {
        if (errorCode(error) === 'ENOENT')
            return undefined;
        throw unreadable(path, error);
    }
    const validBytes = data.lastIndexOf(0x0a) + 1;
    const text = data.subarray(0, validBytes).toString('utf8');
    const lines = validBytes === 0 ? [] : text.slice(0, -1).split('\n');
    return { lines, validBytes, tornBytes: data.length - validBytes };
}
/** Opens the journal at `path` for appending; `content` is what readJournal found there (if anything). */
export async function openJournal(path, content) {
    let handle;
    let bytes = content?.validBytes ?? 0;
    let dirty = false;
    if (content !== undefined) {
        try {
            handle = await open(path, 'r+');
            if (content.tornBytes > 0) {
                await handle.truncate(bytes);
                await handle.sync();
            }
        }
        catch {
            // Left as is, the torn tail would sit in front of the next line; until a reset clears it, the
            // store rewrites the whole data file instead of appending.
            dirty = true;
        }
    }
    async function ensureOpen() {
        if (handle !== undefined)
            return handle;
        const created = await open(path, 'w', PRIVATE_FILE_MODE);
        try {
            await syncDirectory(dirname(path));
        }
        catch (error) {
            await created.close().catch(() => undefined);
            throw error;
        }
        return (handle = created);
    }
    return {
        path,
        get bytes() {
            return bytes;
        },
        get dirty() {
            return dirty;
        },
        async append(line) {
            if (dirty)
                throw writeFailed(path, new Error('the journal holds an unfinished write'));
            const data = Buffer.from(`${line}\n`, 'utf8');
            let target;
            try {
                target = await ensureOpen();
                await writeAll(target, data, bytes);
                await target.datasync();
            }
            catch (error) {
                if (target !== undefined) {
                    try {
                        await target.truncate(bytes);
                        await target.sync();
                    }
                    catch {
                        dirty = true;
                    }
                }
                throw writeFailed(path, error);
            }
            bytes += data.length;
        },
        async reset() {
            if (bytes === 0 && !dirty)
                return;
            try {
                const target = await ensureOpen();
                await target.truncate(0);
                await target.sync();
            }
            catch (error) {
                // The length on disk is unknown now: appending at `bytes` could leave a gap of zeros.
                dirty = true;
                throw writeFailed(path, error);
            }
            bytes = 0;
            dirty = false;
        },
        async close() {
            await handle?.close();
            handle = undefined;
        },
    };
}
//# sourceMappingURL=change-journal.js.map