import { vi } from 'vitest';
import { createCommandRunner } from '../../src/cli/command-runner.js';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';

/**
 * What a command would receive for `todo-mcp ...argv`, in-process: the real declarations and the real
 * runner (argument, environment, config file, default), without loading or running the command.
 * Commander reads `process.env`, so `env` is stubbed for the parse and every other TODO_MCP_* variable
 * is removed meanwhile.
 */
export async function settledOptions(argv: string[], options: { env?: Record<string, string>; cwd: string }): Promise<Record<string, unknown>> {
  for (const name of Object.keys(process.env)) if (name.startsWith('TODO_MCP_')) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(options.env ?? {})) vi.stubEnv(name, value);
  const ctx: CliContext = { env: process.env, cwd: options.cwd, stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal };
  let settled: Record<string, unknown> | undefined;
  const runner = createCommandRunner({
    ctx,
    async execute(_load, values) {
      settled = values as Record<string, unknown>;
    },
  });
  const program = buildProgram(runner);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    vi.unstubAllEnvs();
  }
  if (!settled) throw new Error(`todo-mcp ${argv.join(' ')} ran no command`);
  return settled;
}
