import { access, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonTodoRepository, type CommitInfo, type JsonTodoRepository } from '../../src/store/json-todo-repository.js';
import type { Todo } from '../../src/store/todo-repository.js';
import { inPageOrder, makeTempDir, makeTodos, readTodosFile, writeTodosFile } from './store-test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
let journal: string;
const open: JsonTodoRepository[] = [];
/** Journal from the first commit on, folded in only when it reaches 1000 times the file's size. */
const ALWAYS_JOURNAL = { journalAfterBytes: 0, journalRatio: 1000 };

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  file = join(dir, 'todos.json');
  journal = `${file}.journal`;
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((repository) => repository.close()));
  await cleanup();
});

async function openRepository(path: string, options: Partial<Parameters<typeof createJsonTodoRepository>[0]> = {}): Promise<JsonTodoRepository> {
  const repository = await createJsonTodoRepository({ file: path, ...options });
  open.push(repository);
  return repository;
}

/** The files exactly as they are on disk now, as a crash would leave them, copied to a new directory. */
async function crashImage(): Promise<string> {
  const image = join(dir, `image-${open.length}`);
  await mkdir(image);
  for (const name of ['todos.json', 'todos.json.journal', 'todos.json.next']) {
    await cp(join(dir, name), join(image, name)).catch(() => undefined);
  }
  return join(image, 'todos.json');
}

const journalLine = (create: readonly Todo[], deleted: readonly string[] = []): string => `${JSON.stringify({ create, delete: deleted })}\n`;

describe('the journal', () => {
  it('appends commits to the journal once the file is large enough, and replays them on open', async () => {
    const commits: CommitInfo[] = [];
    const todos = await openRepository(file, { ...ALWAYS_JOURNAL, onCommit: (commit) => commits.push(commit) });
    const first = await todos.create({ content: 'first', ownerId: 'alice' });
    const second = await todos.create({ content: 'second', ownerId: 'bob' });
    const third = await todos.create({ content: 'third', ownerId: 'alice' });
    await todos.delete(first.id);
    expect(commits.map((commit) => commit.kind)).toEqual(['file', 'journal', 'journal', 'journal']);
    expect(await readTodosFile(file)).toEqual([first]); // the file alone is behind…
    const copy = await openRepository(await crashImage(), ALWAYS_JOURNAL);
    expect(await copy.list()).toEqual(inPageOrder([second, third])); // …the journal brings it up to date
  });

  it('folds the journal into the file on close, so the file alone holds everything', async () => {
    const todos = await openRepository(file, ALWAYS_JOURNAL);
    const created = [];
    for (let i = 0; i < 5; i += 1) created.push(await todos.create({ content: `${i}`, ownerId: 'alice' }));
    expect((await stat(journal)).size).toBeGreaterThan(0);
    await todos.close();
    expect(await readTodosFile(file)).toEqual(created);
    expect((await stat(journal)).size).toBe(0);
  });

  it('rewrites the file and empties the journal once the journal reaches its share of the file', async () => {
    await writeTodosFile(file, makeTodos(20)); // about 2.5 KB
    const commits: CommitInfo[] = [];
    const todos = await openRepository(file, { journalAfterBytes: 0, journalRatio: 0.2, onCommit: (commit) => commits.push(commit) });
    for (let i = 0; i < 12; i += 1) await todos.create({ content: `todo ${i}`, ownerId: 'alice' });
    const kinds = commits.map((commit) => commit.kind);
    expect(kinds.slice(0, 3)).toEqual(['journal', 'journal', 'journal']);
    expect(kinds).toContain('file');
    const lastRewrite = kinds.lastIndexOf('file');
    const journalLines = (await readFile(journal, 'utf8')).split('\n').length - 1;
    expect(journalLines).toBe(kinds.length - 1 - lastRewrite);
    expect(await readTodosFile(file)).toHaveLength(20 + 12 - journalLines);
  });

  it('drops a last line cut short by a crash, and keeps appending after it', async () => {
    const [stored, complete, cut] = makeTodos(3);
    await writeTodosFile(file, [stored!]);
    const whole = journalLine([complete!]);
    await writeFile(journal, whole + journalLine([cut!]).slice(0, 40));
    const todos = await openRepository(file, ALWAYS_JOURNAL);
    expect(await todos.list()).toEqual(inPageOrder([stored, complete]));
    expect(await readFile(journal, 'utf8')).toBe(whole);
    const later = await todos.create({ content: 'later', ownerId: 'alice' });
    const copy = await openRepository(await crashImage(), ALWAYS_JOURNAL);
    expect(await copy.list()).toEqual(inPageOrder([stored, complete, later]));
  });

  it('keeps journaled changes in <file>.next when folding them in fails, and recovers them from there', async () => {
    const todos = await openRepository(file, ALWAYS_JOURNAL);
    const created = [];
    for (let i = 0; i < 3; i += 1) created.push(await todos.create({ content: `${i}`, ownerId: 'alice' }));
    await rm(file);
    await mkdir(join(file, 'in-the-way'), { recursive: true });
    await todos.close(); // folds the journal in: the rename meets a directory and fails
    expect((await stat(journal)).size).toBe(0); // emptied before the rename, as it must be…
    expect(await readTodosFile(`${file}.next`)).toEqual(created); // …so .next holds the changes
    await rm(file, { recursive: true });
    const reopened = await openRepository(file, ALWAYS_JOURNAL);
    expect(await reopened.list()).toEqual(inPageOrder(created));
  });

  it('removes a <file>.next.tmp cut short by a crash', async () => {
    const [old] = makeTodos(1);
    await writeTodosFile(file, [old!]);
    await writeFile(`${file}.next.tmp`, '{"todos": [');
    const todos = await openRepository(file);
    expect(await todos.list()).toEqual([old]);
    await expect(access(`${file}.next.tmp`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('installs a complete <file>.next left by a crash just before its rename', async () => {
    const [old, newer] = makeTodos(2);
    await writeTodosFile(file, [old!]);
    await writeTodosFile(`${file}.next`, [old!, newer!]);
    const todos = await openRepository(file);
    expect(await todos.list()).toEqual(inPageOrder([old, newer]));
    expect(await readTodosFile(file)).toEqual([old, newer]);
    await expect(access(`${file}.next`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ignores a <file>.next when the journal still holds changes (the rewrite never reached its rename)', async () => {
    const [old, journaled, unacknowledged] = makeTodos(3);
    await writeTodosFile(file, [old!]);
    await writeFile(journal, journalLine([journaled!]));
    await writeTodosFile(`${file}.next`, [old!, journaled!, unacknowledged!]);
    const todos = await openRepository(file, ALWAYS_JOURNAL);
    expect(await todos.list()).toEqual(inPageOrder([old, journaled]));
    await expect(access(`${file}.next`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ignores a <file>.next cut short by a crash and keeps the data file', async () => {
    const [old, newer] = makeTodos(2);
    await writeTodosFile(file, [old!]);
    await writeFile(`${file}.next`, JSON.stringify({ todos: [old, newer] }).slice(0, 50));
    const todos = await openRepository(file);
    expect(await todos.list()).toEqual([old]);
    await expect(access(`${file}.next`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
