import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-auth-server-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('todo-mcp auth-server', () => {
  it('runs the development authorization server alone, with the dev banner and working discovery', async () => {
    const proc = await startCli(['auth-server', '--auth-port', '0', '--data', join(dir, 'a', 'todos.json')], /Metadata:\s+(\S+)/);
    try {
      expect(proc.output()).toContain('DEVELOPMENT ONLY');
      const metadata = (await (await fetch(proc.match[1]!)).json()) as { issuer: string; code_challenge_methods_supported: string[] };
      expect(metadata.issuer).toMatch(/^http:\/\/localhost:\d+\/oidc$/);
      expect(metadata.code_challenge_methods_supported).toContain('S256');
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });

  it('a corrupt state file is a start-up error (exit 6) naming the file, with a backup kept', async () => {
    const stateDir = join(dir, 'b', 'dev-auth');
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'keys.json'), '{ not json');
    const r = await runCli(['auth-server', '--auth-port', '0', '--data', join(dir, 'b', 'todos.json')]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(join(stateDir, 'keys.json'));
    expect((await readdir(stateDir)).some((f) => f.startsWith('keys.json.corrupt-'))).toBe(true);
  });
});
