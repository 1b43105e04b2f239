import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepCorruptCopy } from '../../src/fs/corrupt-copy.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-corrupt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keepCorruptCopy', () => {
  it('copies the file to <file>.corrupt-<time> and leaves the original as it was', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, '{broken');
    const copy = await keepCorruptCopy(file, new Date('2026-01-02T03:04:05.678Z'));
    expect(copy.path).toBe(`${file}.corrupt-2026-01-02T03-04-05-678Z`);
    expect(copy.summary).toBe(`a backup copy was written to ${copy.path}`);
    expect(await readFile(copy.path!, 'utf8')).toBe('{broken');
    expect(await readFile(file, 'utf8')).toBe('{broken');
  });

  it('never overwrites an earlier copy made at the same time: it numbers the next one', async () => {
    const file = join(dir, 'todos.json');
    const now = new Date('2026-01-02T03:04:05.678Z');
    await writeFile(file, 'first');
    const first = await keepCorruptCopy(file, now);
    await writeFile(file, 'second');
    const second = await keepCorruptCopy(file, now);
    expect(second.path).toBe(`${first.path}-1`);
    expect(await readFile(first.path!, 'utf8')).toBe('first');
    expect(await readFile(second.path!, 'utf8')).toBe('second');
  });

  it('says in plain words why no copy could be written, and never throws', async () => {
    const copy = await keepCorruptCopy(join(dir, 'gone.json'));
    expect(copy).toEqual({ path: undefined, summary: 'writing a backup copy failed (no such file or directory (ENOENT))' });
    expect(await readdir(dir)).toEqual([]);
  });
});
