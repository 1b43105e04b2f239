import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The pinned `@modelcontextprotocol/inspector` launcher (what `npx @modelcontextprotocol/inspector` runs). */
export const INSPECTOR_BIN = fileURLToPath(
  new URL('../../../node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js', import.meta.url),
);

/** The Inspector CLI's documented exit codes (2.12). */
export const INSPECTOR_EXIT = { ok: 0, authRequired: 3, unreachable: 4, toolError: 5 } as const;

/**
 * Environment for an Inspector run that touches nothing of the developer's: its own HOME (catalog,
 * OAuth state), secrets kept in memory, never a browser opened by the Inspector itself.
 */
export function inspectorEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Inherited Inspector settings (ports, tokens, storage paths) would change what is being tested.
    if (!/^(MCP_|CLIENT_PORT$|SERVER_PORT$|ALLOWED_ORIGINS$|HOST$|DANGEROUSLY_)/.test(key)) env[key] = value;
  }
  return { ...env, HOME: home, USERPROFILE: home, MCP_INSPECTOR_SECRET_STORE: 'memory', MCP_AUTO_OPEN_ENABLED: 'false', NO_COLOR: '1', ...extra };
}

export interface InspectorCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `inspector --cli …args` to completion. */
export async function runInspectorCli(args: string[], options: { home: string; timeoutMs?: number }): Promise<InspectorCliResult> {
  await mkdir(options.home, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INSPECTOR_BIN, '--cli', ...args], { cwd: options.home, env: inspectorEnv(options.home) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inspector --cli ${args[0]} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port that was free a moment ago (the Inspector web UI needs a fixed CLIENT_PORT; 0 is refused). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface InspectorWeb {
  /** Where the UI is served, e.g. http://127.0.0.1:41000. */
  readonly origin: string;
  /** The UI's address with its API token, as the Inspector prints it. */
  readonly url: string;
  /** The OAuth redirect URI the Inspector registers (useful for real authorization servers). */
  readonly redirectUri: string;
  output(): string;
  stop(): Promise<void>;
}

export interface StartInspectorWebOptions {
  /**
   * What to inspect: an ad-hoc Streamable HTTP endpoint (`--server-url`, a read-only session) or a
   * writable catalog file (`--catalog`, servers with their own settings such as an OAuth client ID).
   */
  target: { serverUrl: string } | { catalog: string };
  /** Isolated HOME for the Inspector. */
  home: string;
  /** The UI's port (CLIENT_PORT), when it must be known in advance (a redirect URI registered beforehand). Default: a free one. */
  port?: number;
  /** How long to wait for start-up. Default 60 s. */
  timeoutMs?: number;
}

/** Starts `inspector --web …` on a free port (retrying if it was taken meanwhile) or on `options.port`. */
export async function startInspectorWeb(options: StartInspectorWebOptions): Promise<InspectorWeb> {
  await mkdir(options.home, { recursive: true });
  if (options.port !== undefined) return startOnce(options, options.port);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

function startOnce(options: StartInspectorWebOptions, port: number): Promise<InspectorWeb> {
  const apiToken = randomBytes(16).toString('hex');
  const env = inspectorEnv(options.home, {
    CLIENT_PORT: String(port),
    // The MCP Apps sandbox and app origin would otherwise claim the fixed ports 6275/6276.
    MCP_SANDBOX_PORT: '0',
    MCP_APP_ORIGIN_PORT: '0',
    MCP_INSPECTOR_API_TOKEN: apiToken,
  });
  const target = 'catalog' in options.target ? ['--catalog', options.target.catalog] : ['--transport', 'http', '--server-url', options.target.serverUrl];
  const child = spawn(process.execPath, [INSPECTOR_BIN, '--web', ...target], { cwd: options.home, env });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the Inspector web UI did not start\n${out}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/PORT IS IN USE/.test(out)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new PortTakenError(out));
      } else if (/is up and running at:/.test(out)) {
        clearTimeout(timer);
        const origin = `http://127.0.0.1:${port}`;
        resolve({
          origin,
          url: `${origin}/?MCP_INSPECTOR_API_TOKEN=${apiToken}`,
          redirectUri: `${origin}/oauth/callback`,
          output: () => out,
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            // Open SSE connections can hold a graceful shutdown; the test is over either way.
            const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(force);
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Inspector exited with ${code} before starting\n${out}`));
    });
  });
}
