import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { initCommand } from '../../src/cli/init.js';
import { loadConfigFile } from '../../src/config/config-file.js';

/*
 * `init` asks for what it needs on the context's stdin when that is a terminal, and never reads the
 * process's own stdin: in-process, a fake terminal answers the questions as they appear on stderr.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A context whose stdin is a terminal that types `answers[i]` when the i-th question appears on stderr. */
function terminalContext(cwd: string, answers: string[]) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const asked: string[] = [];
  let out = '';
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString();
      if (text.endsWith(': ')) {
        asked.push(text);
        const answer = answers[asked.length - 1];
        if (answer !== undefined) setImmediate(() => stdin.write(`${answer}\n`));
      }
      callback();
    },
  });
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  const ctx: CliContext = { env: {}, cwd, stdin, stdout, stderr, signal: new AbortController().signal };
  return { ctx, asked, stdout: () => out };
}

describe('init asks on the context stdin (in-process)', () => {
  it('--provider logto without --issuer and --client-id: asks for both on the terminal and writes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-init-ask-'));
    dirs.push(dir);
    const { ctx, asked, stdout } = terminalContext(dir, ['https://tenant.example.logto.app/oidc', 'native-app-id-from-the-prompt']);
    const code = await initCommand({ provider: 'logto', port: 3001 }, ctx);
    expect(code).toBe(0);
    expect(asked).toEqual(['Logto issuer (https://<tenant>.logto.app/oidc): ', 'App ID of the Logto Native app for the CLI: ']);
    const { config } = await loadConfigFile({ cwd: dir });
    expect(config.issuer).toBe('https://tenant.example.logto.app/oidc');
    expect(config.clientId).toBe('native-app-id-from-the-prompt');
    expect(stdout()).toMatch(/^Wrote \S+todo-mcp\.config\.json and \S+\.env\.example \(logto\)/);
  });

  it('a context without a terminal on stdin asks nothing: the missing issuer is a usage error naming the flag', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-init-ask-'));
    dirs.push(dir);
    const { ctx, asked } = terminalContext(dir, []);
    const { stdin: _terminal, ...withoutStdin } = ctx;
    const failure = await initCommand({ provider: 'generic', port: 3001 }, withoutStdin).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(asked).toEqual([]);
    expect(failure?.message).toContain('--issuer');
  });
});
