import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_FOR_CODE } from '../../src/cli/cli-error.js';
import type { CliContext } from '../../src/cli/context.js';
import { initCommand } from '../../src/cli/init.js';
import { logtoSetupCommand } from '../../src/cli/logto-setup.js';
import { InterruptedError } from '../../src/errors/interrupted.js';
import { BIN } from '../helpers/run-cli.js';

/*
 * Issue 13 for the commands that ask on a terminal (`init`, `logto setup`): readline puts the terminal in
 * raw mode, so Ctrl-C arrives as a key, not as SIGINT; it must still end the command at once with 130
 * and one line, and a SIGTERM (ctx.signal) must end the question too (143). Real terminals through
 * util-linux `script` (a pseudo-terminal), and in-process for the signal.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-prompt-signals-'));
  dirs.push(dir);
  return dir;
}

/** `todo-mcp ...args` on a pseudo-terminal: types Ctrl-C once `prompt` shows; the exit code and how long the exit took after the key. */
async function ctrlCAtPrompt(args: string[], prompt: string, cwd: string): Promise<{ code: number | null; ms: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.LOGTO_M2M_SECRET;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env });
  let output = '';
  let typedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (typedAt === undefined && output.includes(prompt)) {
      typedAt = performance.now();
      child.stdin.write('\x03');
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no exit within 20 s; output so far:\n${output}`))), 20_000);
    child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
  });
  if (typedAt === undefined) throw new Error(`the prompt ${JSON.stringify(prompt)} never showed:\n${output}`);
  return { code, ms: performance.now() - typedAt, output };
}

const todoMcpLines = (output: string) => output.split(/\r?\n/).filter((line) => line.includes('todo-mcp:'));

describe('Ctrl-C at a prompt on a real terminal', { timeout: 30_000 }, () => {
  it('init --provider logto asking for the issuer → Ctrl-C → 130 within 1 s, one line, nothing written', async () => {
    const cwd = await emptyDir();
    const { code, ms, output } = await ctrlCAtPrompt(['init', '--provider', 'logto'], 'Logto issuer', cwd);
    expect(code, output).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(todoMcpLines(output)).toEqual(['todo-mcp: interrupted while waiting for an answer at the prompt (SIGINT)']);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('logto setup asking for the secret → Ctrl-C → 130 within 1 s, one line, nothing written', async () => {
    const cwd = await emptyDir();
    const { code, ms, output } = await ctrlCAtPrompt(['logto', 'setup', '--endpoint', 'http://127.0.0.1:9', '--m2m-id', 'm2m'], '(not shown): ', cwd);
    expect(code, output).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(todoMcpLines(output)).toEqual(['todo-mcp: interrupted while waiting for an answer at the prompt (SIGINT)']);
    expect(await readdir(cwd)).toEqual([]);
  });
});

/** A context whose stdin is a terminal nobody types on; `stop` aborts its signal as main does on SIGTERM. */
function silentTerminal(cwd: string) {
  const stop = new AbortController();
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const ctx: CliContext = { env: {}, cwd, stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: sink, stderr: sink, signal: stop.signal };
  return { ctx, terminate: () => stop.abort(new InterruptedError('SIGTERM')) };
}

async function failure(promise: Promise<unknown>): Promise<InterruptedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof InterruptedError)) throw new Error(`expected an InterruptedError, got ${String(error)}`);
  return error;
}

describe('SIGTERM while a prompt waits (in-process: ctx.signal aborted)', () => {
  it('init: the question ends with 143 naming the prompt', async () => {
    const { ctx, terminate } = silentTerminal(await emptyDir());
    const running = initCommand({ provider: 'generic', port: 3001 }, ctx);
    setTimeout(terminate, 50);
    const error = await failure(running);
    expect(EXIT_FOR_CODE[error.code]).toBe(EXIT.terminated);
    expect(error.message).toBe('stopped while waiting for an answer at the prompt (SIGTERM)');
  });

  it('logto setup: the secret prompt ends with 143 naming it', async () => {
    const { ctx, terminate } = silentTerminal(await emptyDir());
    const running = logtoSetupCommand(
      { endpoint: 'http://127.0.0.1:9', m2mId: 'm2m', port: 3001, inspectorRedirect: 'http://127.0.0.1:6274/oauth/callback', timeout: 1 },
      ctx,
    );
    setTimeout(terminate, 50);
    const error = await failure(running);
    expect(EXIT_FOR_CODE[error.code]).toBe(EXIT.terminated);
    expect(error.message).toBe('stopped while waiting for an answer at the prompt (SIGTERM)');
  });
});
