import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { storeLogin } from '../helpers/stored-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Start-up time (issue 6: `call get-todos` ≤ 350 ms) depends on what a command loads. These runs record
 * every ES module the real CLI process resolves (a module-resolution hook) and fail when a command
 * loads what it does not need: the login stack for a call with a valid token, zod, the servers.
 */
const ALWAYS_UNNEEDED = ['zod', 'openid-client', 'oauth4webapi', 'jose', 'express', 'oidc-provider', 'lowdb', 'pg'];

let fx: TestServer;
let dir: string;
let register: string;

beforeAll(async () => {
  fx = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-lazy-'));
  const hook = join(dir, 'record-hook.mjs');
  await writeFile(
    hook,
    `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) process._rawDebug('LOADED ' + result.url);
  return result;
}
`,
  );
  register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);

  // A valid stored login, as `todo-mcp login` leaves it.
  const token = await storeLogin(fx, join(dir, 'home'), 'lazy-user', ['create:todos', 'read:todos']);
  const client = await fx.connect(token);
  await client.callTool({ name: 'create-todo', arguments: { content: 'loaded lazily' } });
});

afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with the hook; answers its result and the packages (and SDK files) it loaded. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; packages: Set<string>; sdkFiles: string[]; ownFiles: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', register, BIN, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', TODO_MCP_HOME: join(dir, 'home'), TODO_MCP_CONFIG: undefined },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const loaded = stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
      const packages = new Set(loaded.flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
      const sdkFiles = loaded.filter((url) => url.includes('@modelcontextprotocol/sdk/')).map((url) => url.replace(/.*\/dist\/esm\//, ''));
      const ownFiles = loaded.filter((url) => url.includes('/dist/')).map((url) => url.replace(/.*\/dist\//, ''));
      resolve({ code, stdout, stderr: stderr.split('\n').filter((l) => !l.startsWith('LOADED ')).join('\n'), packages, sdkFiles, ownFiles });
    });
  });
}

describe('what each command loads', { timeout: 60_000 }, () => {
  it('--help loads commander and nothing heavy', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    // The typed wrapper is ESM-visible; commander itself loads through require(), which this hook does not see.
    expect(result.packages.has('@commander-js/extra-typings')).toBe(true);
    for (const name of [...ALWAYS_UNNEEDED, '@modelcontextprotocol/sdk', 'ajv']) expect(result.packages, name).not.toContain(name);
    // Only the declarations: no command module, no config file reading.
    expect(result.ownFiles).toContain('cli/program.js');
    const commands = ['serve', 'auth-server', 'init', 'login', 'call', 'tools', 'whoami', 'token', 'logout', 'doctor'].map((name) => `cli/${name}.js`);
    expect(result.ownFiles.filter((file) => commands.includes(file) || file === 'config/config-file.js')).toEqual([]);
  });

  it('call get-todos with a valid stored token: no login stack and no zod; of the SDK only its output-schema validator', async () => {
    const result = await run(['call', 'get-todos', '--server', fx.server.mcpUrl, '--no-login']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('loaded lazily');
    // The hook really recorded the run (the CLI's own modules and chalk are there).
    expect(result.packages.has('chalk')).toBe(true);
    for (const name of ALWAYS_UNNEEDED) expect(result.packages, name).not.toContain(name);
    // get-todos declares an output schema, so its validator is loaded; nothing else of the SDK.
    expect(result.sdkFiles.length).toBeGreaterThan(0);
    expect(result.sdkFiles.filter((file) => !file.startsWith('validation/'))).toEqual([]);
  });

  it('token with a valid stored token loads neither the login stack nor the SDK', async () => {
    const result = await run(['token', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('.')).toHaveLength(3);
    for (const name of [...ALWAYS_UNNEEDED, '@modelcontextprotocol/sdk']) expect(result.packages, name).not.toContain(name);
  });
});
