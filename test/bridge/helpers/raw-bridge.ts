import { spawn } from 'node:child_process';
import { LATEST_PROTOCOL_VERSION, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../../helpers/run-cli.js';

/** `todo-mcp connect` driven line by line, as a script would, with its exit code observable. */
export interface RawBridge {
  send(message: Record<string, unknown>): void;
  /** The message on stdout answering request `id` (bounded by `timeoutMs`, default 30 s). */
  answer(id: string | number, timeoutMs?: number): Promise<JSONRPCMessage & { result?: any; error?: any }>;
  /** initialize (id "init") and notifications/initialized, as any host starts. */
  initialize(): Promise<void>;
  /** Every stdout line so far (the last, unfinished piece excluded). */
  lines(): string[];
  stderr(): string;
  /** Closes stdin, as a host does when it is done. */
  endInput(): void;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startRawBridge(args: readonly string[], options: { env: Record<string, string>; cwd: string }): RawBridge {
  const child = spawn(process.execPath, [BIN, 'connect', ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } });
  let out = '';
  let err = '';
  const complete: string[] = [];
  const waiting: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    complete.push(...parts);
    for (const wake of waiting.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const find = (id: string | number) =>
    complete.map((line) => JSON.parse(line) as Record<string, unknown>).find((m) => m.id === id && !('method' in m) && ('result' in m || 'error' in m));

  const bridge: RawBridge = {
    send: (message) => void child.stdin.write(`${JSON.stringify(message)}\n`),
    async answer(id, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(id);
        if (found) return found as never;
        if (Date.now() > deadline) throw new Error(`no answer to ${id} within ${timeoutMs} ms\nstdout: ${complete.join('\n')}\nstderr: ${err}`);
        await Promise.race([new Promise<void>((resolve) => waiting.push(resolve)), new Promise((resolve) => setTimeout(resolve, 100)), exited]);
      }
    },
    async initialize() {
      bridge.send({
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw-host', version: '1.0.0' } },
      });
      const answer = await bridge.answer('init');
      if (!answer.result) throw new Error(`initialize failed: ${JSON.stringify(answer)}\nstderr: ${err}`);
      bridge.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    },
    lines: () => [...complete],
    stderr: () => err,
    endInput: () => child.stdin.end(),
    kill: (signal) => void child.kill(signal),
    exited,
  };
  return bridge;
}
