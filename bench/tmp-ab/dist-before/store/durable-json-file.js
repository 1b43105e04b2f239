import { readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openJournal, readJournal } from './change-journal.js';
import { corruptError } from './corrupt-backup.js';
import { syncDirectory, writeFileSynced } from './durable-fs.js';
import { errorCode, unreadable, writeFailed } from './fs-failure.js';
import { DocumentShapeError } from './todo-shape.js';
export function createDurableJsonFile(options) {
    const { file, decode, replay, journalAfterBytes = 1024 * 1024, journalRatio = 0.5, onWrite } = options;
    const nextPath = `${file}.next`;
    const tempPath = `${file}.next.tmp`;
    const journalPath = `${file}.journal`;
    const dir = dirname(file);
    let journal;
    let fileBytes = 0;
    // After a failed rewrite the disk may not match memory (e.g. a rename done but not synced): the next
    // write rewrites everything instead of appending to a journal that assumes the old file.
    let rewriteNext = false;
    async function readOptional(path) {
        try {
            return await readFile(path);
        }
        catch (error) {
            if (errorCode(error) === 'ENOENT')
                return undefined;
            throw unreadable(path, error);
        }
    }
    async function decodeOrThrow(path, data) {
        try {
            return decode(JSON.parse(data.toString('utf8')));
        }
        catch (error) {
            if (error instanceof SyntaxError)
                throw await corruptError(path, `it is not valid JSON (${error.message})`, error);
            if (error instanceof DocumentShapeError)
                throw await corruptError(path, `its content has the wrong shape: ${error.message}`, error);
            throw error;
        }
    }
    /** A `.next` left by a crash: its document if it is complete and the journal does not supersede it. */
    async function recoverNext(journalLines) {
        const data = await readOptional(nextPath);
        if (data === undefined)
            return undefined;
        let document;
        if (journalLines === 0) {
            try {
                document = decode(JSON.parse(data.toString('utf8')));
            }
            catch {
                document = undefined; // cut short before its fsync finished: the data file is the truth
            }
        }
        try {
            if (document === undefined)
                await rm(nextPath, { force: true });
            else {
                await rename(nextPath, file);
                await syncDirectory(dir);
            }
        }
        catch (error) {
            throw writeFailed(file, error);
        }
        return document === undefined ? undefined : { document, bytes: data.length };
    }
    async function rewrite(document) {
        const data = Buffer.from(document.toJson(), 'utf8');
        rewriteNext = true;
        try {
            // Via a temp file, so that `.next` is always complete: after a failed rename below it may hold
            // changes that are nowhere else on disk, and must survive a crash during the next attempt.
            await writeFileSynced(tempPath, data);
            await rename(tempPath, nextPath);
        }
        catch (error) {
            await rm(tempPath, { force: true }).catch(() => undefined);
            throw writeFailed(file, error);
        }
        // Emptied before the rename: a journal must never be replayed over a file that already holds it. If
        // this fails, `.next` stays: should the journal be empty on disk after all, `.next` is what recovery uses.
        await journal?.reset();
        try {
            await rename(nextPath, file);
            await syncDirectory(dir);
        }
        catch (error) {
            // `.next` may be the only copy of the journal's changes now; the next write replaces it.
            throw writeFailed(file, error);
        }
        rewriteNext = false;
        fileBytes = data.length;
        onWrite?.({ kind: 'file', path: file, bytes: data.length });
    }
    function fitsJournal(line) {
        if (journal === undefined || journal.dirty || rewriteNext)
            return false;
        if (fileBytes === 0 || fileBytes < journalAfterBytes)
            return false;
        return journal.bytes + Buffer.byteLength(line) + 1 <= fileBytes * journalRatio;
    }
    return {
        file,
        async read() {
            await rm(tempPath, { force: true }).catch(() => undefined); // a rewrite cut short before `.next`
            const content = await readJournal(journalPath);
            const recovered = await recoverNext(content?.lines.length ?? 0);
            let document;
            if (recovered !== undefined) {
                ({ document } = recovered);
                fileBytes = recovered.bytes;
            }
            else {
                const data = await readOptional(file);
                document = data === undefined ? decode(undefined) : await decodeOrThrow(file, data);
                fileBytes = data?.length ?? 0;
            }
            for (const [index, line] of (content?.lines ?? []).entries()) {
                try {
                    replay(document, JSON.parse(line));
                }
                catch (error) {
                    if (!(error instanceof SyntaxError || error instanceof DocumentShapeError))
                        throw error;
                    throw await corruptError(journalPath, `line ${index + 1} is not a valid change (${error.message})`, error);
                }
            }
            await journal?.close();
            journal = await openJournal(journalPath, content);
            return document;
        },
        async write(document) {
            const line = document.pendingChanges();
            if (line === undefined)
                return;
            if (journal !== undefined && fitsJournal(line)) {
                await journal.append(line);
                onWrite?.({ kind: 'journal', path: journalPath, bytes: Buffer.byteLength(line) + 1 });
                return;
            }
            await rewrite(document);
        },
        async compact(document) {
            if (journal !== undefined && (journal.bytes > 0 || journal.dirty || rewriteNext))
                await rewrite(document);
        },
        async close() {
            await journal?.close();
            journal = undefined;
        },
    };
}
//# sourceMappingURL=durable-json-file.js.map