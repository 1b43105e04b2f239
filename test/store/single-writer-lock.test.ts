import { spawn, type ChildProcess } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonTodoRepository, type JsonTodoRepository } from '../../src/store/json-todo-repository.js';
import { StoreError } from '../../src/store/todo-repository.js';
import { exited, spawnFixture, waitForLine } from './child-process.js';
import { makeTempDir } from './store-test-helpers.js';

let cleanup: () => Promise<void>;
let file: string;
let lockFile: string;
const open: JsonTodoRepository[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  const temp = await makeTempDir();
  cleanup = temp.cleanup;
  file = join(temp.dir, 'todos.json');
  lockFile = `${file}.lock`;
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exited(child);
  }
  await Promise.all(open.splice(0).map((repository) => repository.close()));
  await cleanup();
});

async function openRepository(): Promise<JsonTodoRepository> {
  const repository = await createJsonTodoRepository({ file });
  open.push(repository);
  return repository;
}

async function openError(): Promise<StoreError> {
  const error: unknown = await createJsonTodoRepository({ file }).then(
    (repository) => {
      open.push(repository);
      throw new Error('the second open succeeded');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await exited(child);
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe('single-writer lock', () => {
  it('refuses a second repository on the same file, naming the file, the holder and the remedy', async () => {
    await openRepository();
    const error = await openError();
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain(file);
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.message).toContain(lockFile);
    expect(error.message).toMatch(/stop that process/i);
  });

  it('writes pid, host and start time to the lock and removes it on close', async () => {
    const repository = await openRepository();
    const holder = JSON.parse(await readFile(lockFile, 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Date.parse(String(holder.startedAt))).not.toBeNaN();
    await repository.close();
    await expect(access(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    await openRepository(); // and the file can be opened again
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const pid = await deadPid();
    await writeFile(lockFile, JSON.stringify({ pid, hostname: hostname(), startedAt: new Date().toISOString(), token: 'x' }));
    const repository = await openRepository();
    expect(await repository.list()).toEqual([]);
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('refuses a lock held by a live process, and takes it over once that process is killed', async () => {
    const child = spawnFixture('hold-store.ts', [file]);
    children.push(child);
    const ready = await waitForLine(child, /^ready \d+$/, 25_000); // slow to start on a loaded machine
    const error = await openError();
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain(`process ${ready.split(' ')[1]}`);

    child.kill('SIGKILL');
    await exited(child);
    const repository = await openRepository();
    await repository.create({ content: 'after the crash', ownerId: 'alice' });
  }, 40_000);

  it('refuses a lock from another host, whose pid cannot be checked', async () => {
    await writeFile(lockFile, JSON.stringify({ pid: await deadPid(), hostname: 'elsewhere.example', startedAt: 'then', token: 'x' }));
    const error = await openError();
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain('elsewhere.example');
    expect(error.message).toContain(`delete ${lockFile}`);
  });

  it('refuses a lock file it cannot make sense of rather than guessing', async () => {
    await writeFile(lockFile, 'not a lock');
    const error = await openError();
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain(lockFile);
    expect(await readFile(lockFile, 'utf8')).toBe('not a lock');
  });
});
