import { startCli, type CliProcess } from '../../helpers/run-cli.js';
import { describeRequest, isRequest, logEntries, type RequestEntry } from '../../helpers/log-lines.js';

/** `todo-mcp serve` as users run it: the built CLI in its own process, embedded dev authorization server on. */
export interface ServeProcess {
  /** The MCP endpoint from the banner, e.g. http://localhost:41234/mcp. */
  readonly mcpUrl: string;
  /** The resource identifier the server publishes. */
  readonly resource: string;
  /** The embedded authorization server's issuer, e.g. http://localhost:41235/oidc. */
  readonly issuer: string;
  /** Everything the process printed so far (banner and request log; the log never holds tokens). */
  output(): string;
  /** The request lines of the log (JSON on the pipe) for /mcp. */
  requests(): RequestEntry[];
  /** The same as short texts, e.g. `POST /mcp tools/call create-todo sub=alice 200 3.1ms`. */
  requestLines(): string[];
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export interface StartServeOptions {
  /** Directory for the todos file and the dev server's state; also the working directory. */
  dir: string;
  /** Extra `serve` flags. Default none. */
  args?: string[];
  /** How long to wait for the banner. Default 30 s (the machine may be busy with other suites). */
  timeoutMs?: number;
}

// The banner ends with the trusted issuer; waiting for its newline makes sure every URL is complete.
const READY = /MCP endpoint\s+(\S+)\s+resource\s+(\S+)\s+trusted issuer\s+(\S+)\r?\n/;

/** Starts `todo-mcp serve --port 0 --auth-port 0 --data <dir>/todos.json` and reads its URLs from the banner. */
export async function startServe(options: StartServeOptions): Promise<ServeProcess> {
  const args = ['serve', '--port', '0', '--auth-port', '0', '--data', `${options.dir}/todos.json`, ...(options.args ?? [])];
  const cli: CliProcess & { match: RegExpMatchArray } = await startCli(args, READY, {
    cwd: options.dir,
    timeoutMs: options.timeoutMs ?? 30_000,
    // The serve command reads these as defaults: a developer's own settings must not leak into the test.
    env: { TODO_MCP_PORT: undefined, TODO_MCP_RESOURCE: undefined, TODO_MCP_ISSUER: undefined, TODO_MCP_CONFIG: undefined },
  });
  const [, mcpUrl, resource, issuer] = cli.match as unknown as [string, string, string, string];
  return {
    mcpUrl,
    resource,
    issuer,
    output: cli.output,
    requests: () => logEntries(cli.output()).filter(isRequest).filter((entry) => entry.path === '/mcp'),
    requestLines: () => logEntries(cli.output()).filter(isRequest).filter((entry) => entry.path === '/mcp').map(describeRequest),
    stop: () => cli.stop('SIGTERM'),
  };
}
