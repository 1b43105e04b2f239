import { CommanderError } from '@commander-js/extra-typings';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { EXIT, EXIT_FOR_CODE } from './cli-error.js';
import { createCommandRunner } from './command-runner.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';

/** The single place that turns results and errors into exit codes and leaves the process. */
export async function main(argv: string[]): Promise<void> {
  const stopSignal = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
  const ctx: CliContext = { env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, stopSignal };
  let code: number = EXIT.ok;
  const runner = createCommandRunner({
    ctx,
    async execute(load, values) {
      const command = await load();
      code = (await command(values, ctx)) ?? EXIT.ok;
    },
  });
  const program = buildProgram(runner);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    code = exitCodeFor(error, ctx);
  }
  process.exitCode = code;
  // Servers close their handles on shutdown; anything still pending (keep-alive sockets) must not hold the exit.
  setTimeout(() => process.exit(code), 1_000).unref();
}

function exitCodeFor(error: unknown, ctx: CliContext): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (isTodoMcpError(error)) {
    // The message is public; `detail` (internals) is not shown.
    ctx.stderr.write(`todo-mcp: ${error.message}\n`);
    return EXIT_FOR_CODE[error.code];
  }
  ctx.stderr.write(`todo-mcp: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this.\n`);
  return EXIT.internal;
}
