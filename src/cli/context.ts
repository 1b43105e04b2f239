/** What a command may touch of the process, handed in by `main` so commands stay testable. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * `main` gives process.stdin: `connect`'s host speaks MCP on it; `init` and `logto setup` ask their
   * questions on it when it is a terminal. Default: none (nothing is asked; a missing value is a usage error).
   */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Aborted when the user asks the process to stop (the first SIGINT/SIGTERM), with an InterruptedError
   * naming the signal as its reason. Every wait takes it (requests, the login, the lock); servers shut down.
   */
  readonly signal: AbortSignal;
}
