import { spawn, type ChildProcess } from 'node:child_process';

export interface ShellResult {
  code: number | null;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
}

/** Runs one line with `/bin/sh -c`, as a user's terminal would. */
export function runShell(line: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`\`${line}\` did not finish within ${options.timeoutMs / 1000} s\n${output}`));
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A line left running (e.g. `npm start`), in its own process group so the whole tree can be stopped. */
export interface BackgroundShell {
  output(): string;
  stop(): Promise<void>;
}

/** Starts `line` and resolves once its output matches `ready`. */
export function startShell(line: string, ready: RegExp, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<BackgroundShell & { match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`\`${line}\` did not print ${ready} within ${options.timeoutMs / 1000} s\n${output}`));
    }, options.timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        match,
        output: () => output,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          killGroup(child, 'SIGTERM');
          const force = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
          await exited;
          clearTimeout(force);
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`\`${line}\` exited with ${code} before it was ready\n${output}`));
    });
  });
}

/** Signals the process group this test started (npm → sh → node), never anything else. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
