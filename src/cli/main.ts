import { type Command, CommanderError } from '@commander-js/extra-typings';
import { InterruptedError, type StopSignalName } from '../errors/interrupted.js';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { EXIT, EXIT_FOR_CODE } from './cli-error.js';
import { createCommandRunner } from './command-runner.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';
import { sourceMappedStack } from './source-mapped-stack.js';

/**
 * The single place that turns results and errors into exit codes and leaves the process, and the only one
 * that listens for signals: the first SIGINT/SIGTERM aborts `ctx.signal`, which every wait of every command
 * takes, so the command cleans up and ends (130/143, one line saying what was interrupted), or, for `serve`
 * and `auth-server`, shuts down gracefully (0). A second signal exits at once, without waiting for the
 * clean-up.
 */
export async function main(argv: string[]): Promise<void> {
  const stop = new AbortController();
  const onSignal = (name: StopSignalName) => {
    if (!stop.signal.aborted) return stop.abort(new InterruptedError(name));
    process.stderr.write(`todo-mcp: ${name} again: exiting without finishing the clean-up\n`);
    process.exit(exitCodeOfSignal(name));
  };
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.on(name, () => onSignal(name));

  const ctx: CliContext = { env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: stop.signal };
  const code = await runCli(argv.slice(2), ctx);
  process.exitCode = code;
  // Stopped: the command has cleaned up; a timer it left (a poll interval, a keep-alive socket) must not
  // keep the user waiting.
  if (stop.signal.aborted) process.exit(code);
  // Servers close their handles on shutdown; anything still pending (keep-alive sockets) must not hold the exit.
  setTimeout(() => process.exit(code), 1_000).unref();
}

/**
 * Runs `todo-mcp ...args` (the arguments after the program name) with what `ctx` hands in, and returns the
 * exit code: usage errors, the command's result and its errors all end here. Besides `ctx` it reads only the
 * environment variables options declare (commander reads them from process.env, which `main` passes as
 * ctx.env). Leaves the process alone: `main` sets the exit code, and tests run commands in-process with it.
 */
export async function runCli(args: string[], ctx: CliContext): Promise<number> {
  let code: number = EXIT.ok;
  const runner = createCommandRunner({
    ctx,
    async execute(load, values) {
      const command = await load();
      code = (await command(values, ctx)) ?? EXIT.ok;
    },
  });
  const program = buildProgram(runner);
  writeThrough(program, ctx);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    code = exitCodeFor(error, ctx);
  }
  return code;
}

/** Help, version and usage errors go where the command's own output goes. */
function writeThrough(command: Command, ctx: CliContext): void {
  command.configureOutput({ writeOut: (text) => void ctx.stdout.write(text), writeErr: (text) => void ctx.stderr.write(text) });
  for (const sub of command.commands) writeThrough(sub as Command, ctx);
}

function exitCodeOfSignal(name: StopSignalName): number {
  return name === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}

function exitCodeFor(error: unknown, ctx: CliContext): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  // Stopped: whatever a wait failed with once the signal cut it short (a reset connection, …) is not the story.
  if (ctx.signal.aborted && !(error instanceof InterruptedError) && ctx.signal.reason instanceof InterruptedError) error = ctx.signal.reason;
  if (isTodoMcpError(error)) {
    // The message is public; `detail` (internals) is not shown.
    ctx.stderr.write(`todo-mcp: ${error.message}\n`);
    return EXIT_FOR_CODE[error.code];
  }
  // The stack points into src/ (through the bundle's source maps), so a report says where the bug is.
  ctx.stderr.write(`todo-mcp: unexpected error: ${error instanceof Error ? (error.stack ? sourceMappedStack(error.stack) : error.message) : String(error)}\nPlease report this.\n`);
  return EXIT.internal;
}
