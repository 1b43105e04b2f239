import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { startManagementApiDouble, type ManagementApiDouble } from './support/management-api-double.js';

/**
 * The secret typed at the prompt on a real terminal (util-linux `script` gives the CLI a pseudo-terminal):
 * it works, and it is not echoed.
 */
let d: ManagementApiDouble;
let cwd: string;
beforeAll(async () => {
  d = await startManagementApiDouble();
  cwd = await mkdtemp(join(tmpdir(), 'todo-mcp-logto-tty-'));
});
afterAll(async () => {
  await d.close();
  await rm(cwd, { recursive: true, force: true });
});

it('asks for the secret on a terminal without echoing it', async () => {
  const command = [process.execPath, BIN, 'logto', 'setup', '--endpoint', d.url, '--m2m-id', d.m2m.id].map((a) => `'${a}'`).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.LOGTO_M2M_SECRET;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env });
  let output = '';
  let typed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!typed && output.includes('(not shown): ')) {
      typed = true;
      child.stdin.write(`${d.m2m.secret}\r`);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no exit; output so far:\n${output}`))), 30_000);
    child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
  });
  expect(typed).toBe(true);
  expect(code).toBe(0);
  expect(output).toContain('The tenant is ready for todo-mcp.');
  expect(output).not.toContain(d.m2m.secret);
  expect(d.violations).toEqual([]);
});
