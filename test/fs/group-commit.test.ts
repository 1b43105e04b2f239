import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/fs/group-commit.js';

describe('group commit', () => {
  it('commits everything submitted in one tick as one batch, in order, each caller getting its own result', async () => {
    const batches: number[][] = [];
    const writer = createGroupCommit<number, string>(async (items) => {
      batches.push([...items]);
      return items.map((item) => `done ${item}`);
    });
    const results = await Promise.all([1, 2, 3].map((item) => writer.submit(item)));
    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('puts what arrives while a commit is in flight into ONE following commit', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const firstCommitHeld = new Promise<void>((resolve) => (release = resolve));
    const writer = createGroupCommit<number, void>(async (items) => {
      batches.push([...items]);
      if (batches.length === 1) await firstCommitHeld;
      return items.map(() => undefined);
    });
    const first = writer.submit(1);
    await new Promise((resolve) => setImmediate(resolve)); // the first commit is now in flight
    const later = [2, 3, 4].map((item) => writer.submit(item));
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed batch with its error, then commits the next batch afresh', async () => {
    let fail = true;
    const writer = createGroupCommit<string, string>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      return items.map((item) => item.toUpperCase());
    });
    const failed = await Promise.allSettled([writer.submit('a'), writer.submit('b')]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['disk full', 'disk full']);
    expect(await writer.submit('c')).toBe('C');
  });

  it('idle() resolves once nothing is queued or in flight', async () => {
    let committed = 0;
    const writer = createGroupCommit<number, void>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      committed += items.length;
      return items.map(() => undefined);
    });
    void writer.submit(1);
    void writer.submit(2);
    await writer.idle();
    expect(committed).toBe(2);
    await writer.idle(); // and at once when there is nothing to wait for
  });
});
