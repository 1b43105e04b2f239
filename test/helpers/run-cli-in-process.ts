import { Readable, Writable } from 'node:stream';
import { runCli as runCommand } from '../../src/cli/main.js';
import { InterruptedError } from '../../src/errors/interrupted.js';
import type { CliResult } from './run-cli.js';

/**
 * Runs `todo-mcp ...args` in this process, through the same parsing, command and exit-code mapping as the
 * binary (`runCli` in src/cli/main.ts, which `main` calls), with a CliContext whose output is collected.
 * Saves a Node start and the CLI's module loading per call; the wiring (bin → dist → main, signals, the
 * process exit) stays proven by the spawned runs each command keeps (run-cli.ts).
 *
 * Commander reads the options' environment variables from process.env, and a few children the command
 * starts (the browser) inherit it, so for the duration of a run process.env holds `env` (NO_COLOR set,
 * every other TODO_MCP_* removed, as in a clean shell), and runs take turns. Same options and result as
 * `runCli` of run-cli.ts. Not for what needs two CLI processes at once: use the spawned one.
 */
export function runCliInProcess(args: string[], options: InProcessOptions = {}): Promise<CliResult> {
  const run = turn.then(() => runWithEnv(args, options));
  turn = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let turn: Promise<void> = Promise.resolve();

export interface InProcessOptions {
  /** Variables on top of this process's environment; undefined removes one. Default: none. */
  readonly env?: Record<string, string | undefined>;
  /** The command's working directory. Default: this process's. */
  readonly cwd?: string;
  /** Aborts the command's signal and fails the run after this long. Default: 15 s. */
  readonly timeoutMs?: number;
  /** What the command reads on stdin. Default: nothing. */
  readonly input?: string;
  /** Called with all of stderr so far each time it grows (for prompts a test must act on). Default: none. */
  readonly onStderr?: (stderr: string) => void;
  /**
   * Stops the command, as SIGTERM does (ctx.signal aborted with an InterruptedError), once stdout+stderr
   * matches: for a server that should start and then shut down. Default: none.
   */
  readonly stopWhen?: RegExp;
}

async function runWithEnv(args: string[], options: InProcessOptions): Promise<CliResult> {
  const wanted: Record<string, string | undefined> = { NO_COLOR: '1', ...options.env };
  for (const name of Object.keys(process.env)) if (name.startsWith('TODO_MCP_') && !(name in wanted)) wanted[name] = undefined;
  const saved = new Map(Object.keys(wanted).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(wanted)) setEnv(name, value);

  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timedOut = new Error(`todo-mcp ${args.join(' ')} timed out after ${timeoutMs} ms`);
  const timer = setTimeout(() => stop.abort(timedOut), timeoutMs);
  const grew = () => {
    if (options.stopWhen?.test(stdout + stderr) && !stop.signal.aborted) stop.abort(new InterruptedError('SIGTERM'));
  };
  try {
    const code = await runCommand(args, {
      env: { ...process.env },
      cwd: options.cwd ?? process.cwd(),
      stdin: Readable.from([options.input ?? '']),
      stdout: collector((text) => {
        stdout += text;
        grew();
      }),
      stderr: collector((text) => {
        stderr += text;
        options.onStderr?.(stderr);
        grew();
      }),
      signal: stop.signal,
    });
    if (stop.signal.reason === timedOut) throw new Error(`${timedOut.message}\nstdout: ${stdout}\nstderr: ${stderr}`);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    for (const [name, value] of saved) setEnv(name, value);
  }
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function collector(append: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      append(chunk.toString());
      done();
    },
  });
}
