import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenFileMode } from '../../src/fs/private-mode.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-private-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('private modes', () => {
  it('ensurePrivateDir creates missing directories 0700 and leaves an existing one alone', async () => {
    const nested = join(dir, 'a', 'b');
    await ensurePrivateDir(nested);
    expect(await modeOf(nested)).toBe(PRIVATE_DIR_MODE);
    await ensurePrivateDir(nested);
  });

  it('tightenFileMode narrows a file others can read back to 0600, and ignores a missing one', async () => {
    const file = join(dir, 'tokens.json');
    await writeFile(file, '{}', { mode: 0o644 });
    await tightenFileMode(file);
    expect(await modeOf(file)).toBe(PRIVATE_FILE_MODE);
    await tightenFileMode(join(dir, 'missing'));
  });
});
