import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../../helpers/run-cli.js';

const TEE = fileURLToPath(new URL('./tee-stdout.mjs', import.meta.url));

/** An MCP host (the SDK's own Client over its StdioClientTransport) running `todo-mcp connect`. */
export interface BridgeHost {
  readonly client: Client;
  readonly transport: StdioClientTransport;
  /** Everything the bridge wrote to stderr so far. */
  stderr(): string;
  /** Every line the bridge wrote to stdout (kept by a tee between it and the client); read after close(). */
  stdoutLines(): Promise<string[]>;
  close(): Promise<void>;
}

export interface StartBridgeHostOptions {
  /** Arguments after `connect`, e.g. the server URL and flags. */
  readonly args: readonly string[];
  /** Environment of the bridge (TODO_MCP_HOME, BROWSER, …), on top of the SDK's safe defaults. */
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** Where the tee keeps the bridge's stdout. */
  readonly stdoutFile: string;
  /** Client capabilities and handlers are set by the caller before connecting. */
  readonly clientOptions?: ClientOptions;
  readonly setup?: (client: Client) => void;
  /** Default: 30 s (a first use includes a login). */
  readonly timeoutMs?: number;
  /** Runs beside the connection's start-up (e.g. signing in with the URL the bridge printed on stderr). */
  readonly whileConnecting?: (stderr: () => string) => Promise<void>;
}

/** Spawns `node tee-stdout.mjs <file> node bin/todo-mcp.js connect …args` and connects a Client to it. */
export async function startBridgeHost(options: StartBridgeHostOptions): Promise<BridgeHost> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [TEE, options.stdoutFile, process.execPath, BIN, 'connect', ...options.args],
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'bridge-test-host', version: '1.0.0' }, options.clientOptions);
  options.setup?.(client);
  try {
    await Promise.all([client.connect(transport, { timeout: options.timeoutMs ?? 30_000 }), options.whileConnecting?.(() => stderr)]);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`connecting through the bridge failed: ${(error as Error).message}\nstderr: ${stderr}`, { cause: error });
  }
  return {
    client,
    transport,
    stderr: () => stderr,
    stdoutLines: async () => (await readFile(options.stdoutFile, 'utf8')).split('\n'),
    close: () => client.close(),
  };
}

/** The lines that are not exactly one valid JSON-RPC message (the last, empty, piece after the final newline excepted). */
export function invalidJsonRpcLines(lines: readonly string[]): string[] {
  const bad: string[] = [];
  lines.forEach((line, i) => {
    if (i === lines.length - 1 && line === '') return;
    try {
      JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch {
      bad.push(line);
    }
  });
  return bad;
}

/** Resolves with the first match of `pattern` in `text()`, polling every 50 ms for at most `timeoutMs`. */
export async function waitForMatch(text: () => string, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    const match = text().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} within ${timeoutMs} ms in:\n${text()}`);
}

/** A scratch file name under `dir`. */
export const stdoutFileIn = (dir: string, name: string) => join(dir, `${name}.stdout`);
