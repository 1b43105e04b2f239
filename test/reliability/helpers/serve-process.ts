import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BIN } from '../../helpers/run-cli.js';
import { isRequest, isServerError, parseLogLine } from '../../helpers/log-lines.js';

/** A script that runs the compiled server with options the CLI does not expose (e.g. a short JWKS cool-down). */
const SERVER_CHILD = fileURLToPath(new URL('./server-child.mjs', import.meta.url));

/** A todo server in its own process: the CLI's `serve`, or the compiled server through {@link SERVER_CHILD}. */
export interface ServerProcess {
  readonly pid: number;
  /** e.g. http://localhost:41234/mcp */
  readonly mcpUrl: string;
  readonly port: number;
  readonly resource: string;
  /** The issuer the server trusts (the embedded one's, on the embedded default). */
  readonly issuer: string;
  /** Port of the embedded authorization server, when there is one. */
  readonly authPort: number | undefined;
  /** Request lines the server logged with a 5xx status, and `error:` lines. */
  readonly serverErrorLines: readonly string[];
  /** Every request line the server logged, counted. */
  readonly loggedRequests: number;
  /** The last 64 KiB of output. */
  output(): string;
  alive(): boolean;
  /** kill -9, then waits until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resident set size in KiB (from /proc). */
  rssKb(): Promise<number>;
}

export interface ServeOptions {
  /** The todos JSON file. */
  dataFile: string;
  /** A trusted issuer; none starts the embedded development authorization server. */
  issuer?: string;
  /** Default 0. */
  port?: number;
  /** Default 0. */
  authPort?: number;
  stateless?: boolean;
  /** `--store` (e.g. a postgres:// URL); default: the JSON file `dataFile`. */
  store?: string;
  /** Run the compiled server directly with this JWKS cool-down instead of the CLI. */
  jwksCooldownMs?: number;
  /** How long start-up may take. Default 20 s. */
  timeoutMs?: number;
}

const READY = /MCP endpoint\s+(http:\/\/localhost:(\d+)\/mcp)\s+resource\s+(\S+)\s+trusted issuer\s+(\S+)\n/;
const ISSUER_PORT = /Issuer:\s+http:\/\/localhost:(\d+)\//;
const KEEP = 64 * 1024;

/** Starts `todo-mcp serve` (or the compiled server) and resolves once it prints its endpoint. */
export function startServerProcess(options: ServeOptions): Promise<ServerProcess> {
  const args = ['--port', String(options.port ?? 0), '--data', options.dataFile];
  const viaCli = options.jwksCooldownMs === undefined;
  let child: ChildProcess;
  if (viaCli) {
    args.unshift(BIN, 'serve');
    if (options.issuer) args.push('--issuer', options.issuer);
    else args.push('--auth-port', String(options.authPort ?? 0));
    if (options.stateless) args.push('--stateless');
    if (options.store) args.push('--store', options.store);
    child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    const config = {
      port: options.port ?? 0,
      host: '127.0.0.1',
      resource: undefined,
      issuer: options.issuer,
      authPort: options.authPort ?? 0,
      dataFile: options.dataFile,
      allowedOrigins: [],
      stateless: options.stateless ?? false,
      store: options.store,
    };
    child = spawn(process.execPath, [SERVER_CHILD, JSON.stringify({ config, jwksCooldownMs: options.jwksCooldownMs })], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  let tail = '';
  let partial = '';
  let loggedRequests = 0;
  const serverErrorLines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The log is JSON lines on a pipe: one per request, plus warnings and errors.
  const onLine = (line: string) => {
    const entry = parseLogLine(line);
    if (entry === undefined) return;
    if (isRequest(entry)) loggedRequests += 1;
    if (isServerError(entry)) serverErrorLines.push(line);
  };

  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${options.timeoutMs ?? 20_000} ms:\n${tail}`));
    }, options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-KEEP);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
      if (ready) return;
      const match = READY.exec(tail);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      const authPort = ISSUER_PORT.exec(tail);
      const pid = child.pid!;
      resolve({
        pid,
        mcpUrl: match[1]!,
        port: Number(match[2]),
        resource: match[3]!,
        issuer: match[4]!,
        authPort: options.issuer ? undefined : authPort ? Number(authPort[1]) : undefined,
        serverErrorLines,
        get loggedRequests() {
          return loggedRequests;
        },
        output: () => tail,
        alive: () => child.exitCode === null && child.signalCode === null,
        async kill9() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
        async rssKb() {
          const status = await readFile(`/proc/${pid}/status`, 'utf8');
          const kb = /VmRSS:\s+(\d+) kB/.exec(status);
          if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
          return Number(kb[1]);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before it was ready:\n${tail}`));
    });
  });
}
