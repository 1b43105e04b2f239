import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN } from './run-cli.js';

/** A running `todo-mcp` whose output a test watches and which it stops with a signal. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout+stderr matches `pattern` (rejects after `timeoutMs` or if the process exits first). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code and how long the exit took after the signal, in ms. */
  signal(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
  /** The exit, whenever it comes. */
  readonly exited: Promise<number | null>;
  /** SIGKILL if still running (for clean-up after a failed test). */
  kill(): void;
}

/** Starts `todo-mcp ...args` (NO_COLOR, the given env on top of this process's). */
export function launchCli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  child.stdout.on('data', (d) => ((out += d), changed()));
  child.stderr.on('data', (d) => ((err += d), changed()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (resolve(code), changed())));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = (out + err).match(pattern);
          if (match) return finish(() => resolve(match));
          if (child.exitCode !== null) return finish(() => reject(new Error(`todo-mcp exited (${child.exitCode}) before printing ${pattern}\n${out}${err}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`todo-mcp did not print ${pattern} within ${timeoutMs} ms\n${out}${err}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async signal(signal) {
      const started = performance.now();
      child.kill(signal);
      const code = await exited;
      return { code, ms: performance.now() - started };
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
