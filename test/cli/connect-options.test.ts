import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../src/cli/command-runner.js';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { settledOptions } from '../helpers/settled-options.js';

/* Issue 14: connect takes the flags `call` takes for the server and the login, settled the same way. */

const ctx = { env: {}, cwd: '/', stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal } as CliContext;
const program = buildProgram(createCommandRunner({ ctx, execute: async () => undefined }));
const flags = (name: string) =>
  new Set((program.commands.find((c) => c.name() === name) as CommandUnknownOpts).options.map((o) => o.long!).filter((f) => f !== '--help'));

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('connect options', () => {
  it("has every server and login flag of call (--server, --client-id, --scope, --audience, --config, …), plus --header", () => {
    const call = flags('call');
    const connect = flags('connect');
    // call's own: its output, its request deadline and paging; call's --login-timeout is connect's --timeout
    // (as for login: the host's requests carry their own deadlines).
    const loginAndServer = [...call].filter((flag) => !['--json', '--timeout', '--login-timeout', '--args', '--all'].includes(flag));
    for (const flag of ['--server', '--client-id', '--scope', '--audience', '--config']) expect(loginAndServer).toContain(flag);
    expect(loginAndServer.filter((flag) => !connect.has(flag))).toEqual([]);
    expect(connect.has('--header')).toBe(true);
    const timeout = (program.commands.find((c) => c.name() === 'connect') as CommandUnknownOpts).options.find((o) => o.long === '--timeout');
    expect(timeout?.envVar).toBe('TODO_MCP_LOGIN_TIMEOUT');
  });

  it('settles them by the same layers: flag over environment over the config file', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'todo-mcp-connect-options-'));
    dirs.push(cwd);
    await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify({ server: 'http://localhost:4001/mcp', clientId: 'from-file', audience: 'file-audience' }));
    const settled = await settledOptions(['connect', '--client-id', 'from-flag', '--scope', 'read:todos', '--header', 'X-Trace: 1'], { cwd, env: { TODO_MCP_AUDIENCE: 'env-audience' } });
    expect(settled).toMatchObject({ server: 'http://localhost:4001/mcp', clientId: 'from-flag', audience: 'env-audience', scope: 'read:todos', header: ['X-Trace: 1'] });
  });
});
