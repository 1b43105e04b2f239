import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonTodoRepository } from '../../src/store/json-todo-repository.js';
import { exited, readLines, spawnFixture } from './child-process.js';
import { makeTempDir, makeTodos, writeTodosFile } from './store-test-helpers.js';

/**
 * kill -9 of a real writer process at a random moment: afterwards the data file must parse, and every
 * change the writer had acknowledged (printed after its promise resolved) must be there when the store is
 * reopened, which also takes over the dead writer's lock.
 */
interface Acknowledged {
  readonly created: Set<string>;
  readonly deleted: Set<string>;
  /** Deletes asked for: acknowledged or not, these may be gone. */
  readonly deleteRequested: Set<string>;
  /** Durable writes by kind ("file", "journal"), to show which path the kill interrupted. */
  readonly writes: Map<string, number>;
}

/** Start-up can take seconds on a loaded machine (the child transpiles the sources); the kill does not wait for it. */
const STARTUP_MS = 20_000;

async function killWhileWriting(file: string, journalAfterBytes: number, acknowledged: Acknowledged): Promise<void> {
  const child = spawnFixture('crash-writer.ts', [file, String(journalAfterBytes)]);
  // Killed after a random number of acknowledged creates, or a random time after the first one if it is
  // slow (a loaded machine): either way at a moment the test does not choose.
  const killAfterCreates = randomInt(100, 800);
  let creates = 0;
  const kill = () => child.kill('SIGKILL');
  const startup = setTimeout(kill, STARTUP_MS);
  let deadline: NodeJS.Timeout | undefined;
  const output = readLines(child, (line) => {
    const [kind, id] = line.split(' ');
    if (id === undefined) return;
    if (kind === 'C' && deadline === undefined) {
      clearTimeout(startup);
      deadline = setTimeout(kill, randomInt(200, 1200));
    }
    if (kind === 'C') acknowledged.created.add(id);
    if (kind === 'D') acknowledged.deleted.add(id);
    if (kind === 'd') acknowledged.deleteRequested.add(id);
    if (kind === 'W') acknowledged.writes.set(id, (acknowledged.writes.get(id) ?? 0) + 1);
    if (kind === 'C' && ++creates === killAfterCreates) setTimeout(kill, randomInt(0, 20));
  });
  await exited(child);
  clearTimeout(startup);
  clearTimeout(deadline);
  expect(child.signalCode, output.stderr()).toBe('SIGKILL');
  expect(creates, `no create was acknowledged: ${output.stderr()}`).toBeGreaterThan(0);
}

async function expectAllAcknowledged(file: string, acknowledged: Acknowledged, seeded: number): Promise<void> {
  JSON.parse(await readFile(file, 'utf8')); // whatever else, the data file is complete JSON
  const todos = await createJsonTodoRepository({ file });
  try {
    const present = new Set((await todos.list()).map((todo) => todo.id));
    const missing = [...acknowledged.created].filter((id) => !acknowledged.deleteRequested.has(id) && !present.has(id));
    const resurrected = [...acknowledged.deleted].filter((id) => present.has(id));
    expect(missing).toEqual([]);
    expect(resurrected).toEqual([]);
    // Nothing beyond the seed, the acknowledged creates and at most one unacknowledged create per caller.
    expect(present.size).toBeLessThanOrEqual(seeded + acknowledged.created.size - acknowledged.deleted.size + 20);
  } finally {
    await todos.close();
  }
}

describe.concurrent('crash safety (kill -9 of a writing process)', () => {
  it.each([
    ['rewriting the whole file on each commit', 1024 * 1024, 0, 'file'],
    ['appending to the journal', 0, 300, 'journal'],
  ])('loses no acknowledged change when %s', async (_mode, journalAfterBytes, seeded, mainKind) => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const file = join(dir, 'todos.json');
      if (seeded > 0) await writeTodosFile(file, makeTodos(seeded));
      const acknowledged: Acknowledged = { created: new Set(), deleted: new Set(), deleteRequested: new Set(), writes: new Map() };
      await killWhileWriting(file, journalAfterBytes, acknowledged);
      expect(acknowledged.writes.get(mainKind)).toBeGreaterThan(0);
      await expectAllAcknowledged(file, acknowledged, seeded);
    } finally {
      await cleanup();
    }
  }, 40_000);
});
