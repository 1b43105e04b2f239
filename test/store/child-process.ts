import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REGISTER_TS = fileURLToPath(new URL('./fixtures/register-ts.mjs', import.meta.url));

/**
 * Starts `node` on a TypeScript fixture of this directory. The child runs the real sources (transpiled by
 * the project's typescript through a module hook), so the test needs no prior build and no dist/.
 */
export function spawnFixture(name: string, args: readonly string[]): ChildProcess {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return spawn(process.execPath, ['--import', REGISTER_TS, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Calls `onLine` for each complete stdout line; collects stderr for error messages. */
export function readLines(child: ChildProcess, onLine: (line: string) => void): { stderr: () => string } {
  let pending = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? ''; // a line cut by kill -9 has no newline: it was never a full report
    for (const line of lines) onLine(line);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { stderr: () => stderr };
}

/** Resolves when the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits or `ms` pass first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms: ${output.stderr()}`)), ms);
    const output = readLines(child, (line) => {
      if (!pattern.test(line)) return;
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before printing ${pattern}: ${output.stderr()}`));
    });
  });
}
