/** What a command may touch of the process, handed in by `main` so commands stay testable. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Read only by `connect`, whose host speaks MCP on it (`main` gives process.stdin). Default: none. */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Aborted when the user asks the process to stop (the first SIGINT/SIGTERM), with an InterruptedError
   * naming the signal as its reason. Every wait takes it (requests, the login, the lock); servers shut down.
   */
  readonly signal: AbortSignal;
}
