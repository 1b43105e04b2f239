import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { readFileIfExists } from '../fs/read-file-if-exists.js';
import { syncDirectory, writeFileSynced } from '../fs/synced-write.js';
import { openJournal, readJournal, type ChangeJournal } from './change-journal.js';
import { corruptError, unreadable, writeFailed } from './fs-failure.js';
import { DocumentShapeError } from './todo-shape.js';

/** What the file needs from the data it keeps. */
export interface DurableDocument {
  /** The whole document as JSON, including the change not yet written. */
  toJson(): string;
  /** The change not yet written as one line of JSON, or undefined when there is nothing to write. */
  pendingChanges(): string | undefined;
}

/** One durable write, reported for diagnostics. */
export interface DurableWrite {
  /** `file`: the data file was rewritten atomically; `journal`: a line was appended to the journal. */
  readonly kind: 'file' | 'journal';
  readonly path: string;
  readonly bytes: number;
}

export interface DurableJsonFileOptions<T extends DurableDocument> {
  /** Path of the JSON data file. Required. */
  file: string;
  /** Builds the document from the file's parsed JSON, or an empty one for `undefined` (no file yet); throws DocumentShapeError on a wrong shape. Required. */
  decode: (json: unknown) => T;
  /** Applies one parsed journal line to the document; throws DocumentShapeError on a wrong shape. Required. */
  replay: (document: T, change: unknown) => void;
  /** Once the data file is this many bytes, changes go to `<file>.journal` instead of rewriting the file each time. Default 64 KiB. */
  journalAfterBytes?: number;
  /** The journal is folded into the data file once it holds this fraction of the file's size. Default 0.5. */
  journalRatio?: number;
  /** Called after each durable write. Default: none. */
  onWrite?: (write: DurableWrite) => void;
}

/**
 * A lowdb Adapter whose `write` resolves only once the data is on disk, and which never leaves a
 * half-written data file: it writes `<file>.next.tmp`, fsyncs it, renames it to `<file>.next`, then over
 * the file, and fsyncs the directory. Large files get a journal so that a small change does not cost a
 * rewrite of everything.
 *
 * Crash recovery (on `read`), given that a rewrite empties the journal before its rename:
 * - `<file>.next` with journal lines beside it is a rewrite that never started its rename: dropped;
 * - `<file>.next` that parses, with an empty journal, is a rewrite cut short before its rename: installed;
 * - a journal's last line without a newline is an append cut short: dropped (never acknowledged).
 */
export interface DurableJsonFile<T> extends Adapter<T> {
  readonly file: string;
  /** Folds the journal into the data file, so the file alone holds everything. */
  compact(document: T): Promise<void>;
  /** Closes the journal. */
  close(): Promise<void>;
}

export function createDurableJsonFile<T extends DurableDocument>(options: DurableJsonFileOptions<T>): DurableJsonFile<T> {
  // 64 KiB (about 400 todos): a rewrite is nine file-system round trips (temp file, fsync, two renames,
  // directory fsync) against an append's two, and each waits its turn on a busy event loop. With 50
  // concurrent creators, rewriting files of 100 KB–1 MB held create-todo to ~0.6x the in-memory SDK;
  // appending from 64 KiB on was 1.5x faster in a side-by-side run (npm run bench, issue 6).
  const { file, decode, replay, journalAfterBytes = 64 * 1024, journalRatio = 0.5, onWrite } = options;
  const nextPath = `${file}.next`;
  const tempPath = `${file}.next.tmp`;
  const journalPath = `${file}.journal`;
  const dir = dirname(file);
  let journal: ChangeJournal | undefined;
  let fileBytes = 0;
  // After a failed rewrite the disk may not match memory (e.g. a rename done but not synced): the next
  // write rewrites everything instead of appending to a journal that assumes the old file.
  let rewriteNext = false;

  async function readOptional(path: string): Promise<Buffer | undefined> {
    return readFileIfExists(path).catch((error: unknown) => {
      throw unreadable(path, error);
    });
  }

  async function decodeOrThrow(path: string, data: Buffer): Promise<T> {
    try {
      return decode(JSON.parse(data.toString('utf8')));
    } catch (error) {
      if (error instanceof SyntaxError) throw await corruptError(path, `it is not valid JSON (${error.message})`, error);
      if (error instanceof DocumentShapeError) throw await corruptError(path, `its content has the wrong shape: ${error.message}`, error);
      throw error;
    }
  }

  /** A `.next` left by a crash: its document if it is complete and the journal does not supersede it. */
  async function recoverNext(journalLines: number): Promise<{ document: T; bytes: number } | undefined> {
    const data = await readOptional(nextPath);
    if (data === undefined) return undefined;
    let document: T | undefined;
    if (journalLines === 0) {
      try {
        document = decode(JSON.parse(data.toString('utf8')));
      } catch {
        document = undefined; // cut short before its fsync finished: the data file is the truth
      }
    }
    try {
      if (document === undefined) await rm(nextPath, { force: true });
      else {
        await rename(nextPath, file);
        await syncDirectory(dir);
      }
    } catch (error) {
      throw writeFailed(file, error);
    }
    return document === undefined ? undefined : { document, bytes: data.length };
  }

  async function rewrite(document: T): Promise<void> {
    const data = Buffer.from(document.toJson(), 'utf8');
    rewriteNext = true;
    try {
      // Via a temp file, so that `.next` is always complete: after a failed rename below it may hold
      // changes that are nowhere else on disk, and must survive a crash during the next attempt.
      await writeFileSynced(tempPath, data);
      await rename(tempPath, nextPath);
    } catch (error) {
      await rm(tempPath, { force: true }).catch(() => undefined);
      throw writeFailed(file, error);
    }
    // Emptied before the rename: a journal must never be replayed over a file that already holds it. If
    // this fails, `.next` stays: should the journal be empty on disk after all, `.next` is what recovery uses.
    await journal?.reset();
    try {
      await rename(nextPath, file);
      await syncDirectory(dir);
    } catch (error) {
      // `.next` may be the only copy of the journal's changes now; the next write replaces it.
      throw writeFailed(file, error);
    }
    rewriteNext = false;
    fileBytes = data.length;
    onWrite?.({ kind: 'file', path: file, bytes: data.length });
  }

  function fitsJournal(line: string): boolean {
    if (journal === undefined || journal.dirty || rewriteNext) return false;
    if (fileBytes === 0 || fileBytes < journalAfterBytes) return false;
    return journal.bytes + Buffer.byteLength(line) + 1 <= fileBytes * journalRatio;
  }

  return {
    file,
    async read() {
      await rm(tempPath, { force: true }).catch(() => undefined); // a rewrite cut short before `.next`
      const content = await readJournal(journalPath);
      const recovered = await recoverNext(content?.lines.length ?? 0);
      let document: T;
      if (recovered !== undefined) {
        ({ document } = recovered);
        fileBytes = recovered.bytes;
      } else {
        const data = await readOptional(file);
        document = data === undefined ? decode(undefined) : await decodeOrThrow(file, data);
        fileBytes = data?.length ?? 0;
      }
      for (const [index, line] of (content?.lines ?? []).entries()) {
        try {
          replay(document, JSON.parse(line));
        } catch (error) {
          if (!(error instanceof SyntaxError || error instanceof DocumentShapeError)) throw error;
          throw await corruptError(journalPath, `line ${index + 1} is not a valid change (${error.message})`, error);
        }
      }
      await journal?.close();
      journal = await openJournal(journalPath, content);
      return document;
    },
    async write(document) {
      const line = document.pendingChanges();
      if (line === undefined) return;
      if (journal !== undefined && fitsJournal(line)) {
        await journal.append(line);
        onWrite?.({ kind: 'journal', path: journalPath, bytes: Buffer.byteLength(line) + 1 });
        return;
      }
      await rewrite(document);
    },
    async compact(document) {
      if (journal !== undefined && (journal.bytes > 0 || journal.dirty || rewriteNext)) await rewrite(document);
    },
    async close() {
      await journal?.close();
      journal = undefined;
    },
  };
}
