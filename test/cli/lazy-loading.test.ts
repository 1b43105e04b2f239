import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { storeLogin } from '../helpers/stored-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Start-up time (issue 15: `call get-todos` ≤ 2.5× `node -e 0`) depends on what a command loads. These runs
 * record every file the real CLI process loads: each ES module it resolves (a module-resolution hook) and,
 * when it exits, each CommonJS file it required (require.cache): the bin, the bundle's files (dist/bundle/,
 * see tools/bundle-cli.mjs) and any package loaded from node_modules. What a bundle file holds comes from
 * dist/bundle/chunks.json, written with the bundle. They fail when a command loads what it does not need
 * (the login stack for a call with a valid token, zod, the SDK, the servers), when the hot path goes through
 * the ES module loader (the bundle's CommonJS layers exist to avoid it) or is split into more files than the
 * bundle's layout promises.
 */
const ALWAYS_UNNEEDED = ['zod', 'openid-client', 'oauth4webapi', 'jose', 'express', 'oidc-provider', 'lowdb', 'pg', 'pino', '@logto/api', 'ajv'];
/** Commands whose modules (and what they import) only load when they run. */
const COLD_COMMANDS = ['serve', 'auth-server', 'init', 'login', 'logout', 'connect', 'doctor', 'logto-setup'].map((name) => `cli/${name}.ts`);
const CHUNKS = JSON.parse(readFileSync(new URL('../../dist/bundle/chunks.json', import.meta.url), 'utf8')) as Record<string, string[]>;

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
  await writeFile(
    register,
    `import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(hook).href)});
const required = createRequire(import.meta.url).cache;
process.on('exit', () => { for (const file of Object.keys(required)) process._rawDebug('REQUIRED ' + pathToFileURL(file).href); });
`,
  );

  // A valid stored login, as `todo-mcp login` leaves it.
  const token = await storeLogin(fx, join(dir, 'home'), 'lazy-user', ['create:todos', 'read:todos']);
  const client = await fx.connect(token);
  await client.callTool({ name: 'create-todo', arguments: { content: 'loaded lazily' } });
});

afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Packages loaded, from node_modules or inside a bundle file. */
  packages: Set<string>;
  /** Files of src/ loaded (inside bundle files), e.g. cli/call.ts. */
  ownFiles: string[];
  /** Bundle files loaded, e.g. main.cjs, chunk-XXXX.js: the required (CommonJS) ones first. */
  bundleFiles: string[];
  /** Bundle files that went through the ES module loader. */
  esmBundleFiles: string[];
  /** Every other file loaded, besides the bin (packages outside the bundle, tsc's dist/). */
  outside: string[];
}

/** Runs the CLI with the hook; answers its result and what it loaded. */
function run(args: string[]): Promise<Loaded> {
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
      const lines = stderr.split('\n');
      const imported = lines.filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
      const required = lines.filter((l) => l.startsWith('REQUIRED ')).map((l) => l.slice('REQUIRED '.length));
      const loaded = [...required, ...imported];
      // The hook sees each import of a file (the shared chunk once per importer); a file loads once.
      const inBundle = (urls: string[]) => [...new Set(urls.flatMap((url) => /\/dist\/bundle\/([^/]+)$/.exec(url)?.[1] ?? []))];
      const bundleFiles = inBundle(loaded);
      const esmBundleFiles = inBundle(imported);
      const outside = loaded.filter((url) => !url.includes('/dist/bundle/') && !url.endsWith('/bin/todo-mcp.js'));
      const inputs = [...outside, ...bundleFiles.flatMap((file) => CHUNKS[file] ?? [`unknown bundle file ${file}`])];
      const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []));
      const ownFiles = inputs.flatMap((input) => /^src\/(.*)$/.exec(input)?.[1] ?? []);
      const other = lines.filter((l) => !l.startsWith('LOADED ') && !l.startsWith('REQUIRED ')).join('\n');
      resolve({ code, stdout, stderr: other, packages, ownFiles, bundleFiles, esmBundleFiles, outside });
    });
  });
}

describe('what each command loads', { timeout: 60_000 }, () => {
  it('--help loads main.cjs alone, required: commander, no command module, no MCP client', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: todo-mcp');
    expect(result.bundleFiles).toEqual(['main.cjs']);
    expect(result.esmBundleFiles).toEqual([]);
    expect(result.outside).toEqual([]);
    expect(result.packages.has('commander')).toBe(true);
    for (const name of [...ALWAYS_UNNEEDED, '@modelcontextprotocol/sdk']) expect(result.packages, name).not.toContain(name);
    expect(result.ownFiles).toContain('cli/program.ts');
    expect(result.ownFiles.filter((file) => COLD_COMMANDS.includes(file) || file.startsWith('server/') || file.startsWith('dev-auth/'))).toEqual([]);
    expect(result.ownFiles.filter((file) => ['cli/call.ts', 'cli/tools.ts', 'client/mcp-client.ts'].includes(file))).toEqual([]);
    // The config file's schema (zod) loads only when there is a file to check.
    expect(result.ownFiles).not.toContain('config/config-file-schema.ts');
  });

  it('call get-todos with a valid stored token: no login stack, no zod, no SDK; main.cjs and hot.cjs, required', async () => {
    const result = await run(['call', 'get-todos', '--server', fx.server.mcpUrl, '--no-login']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('loaded lazily');
    // The hook really recorded the run (the MCP client, chalk and the output-schema validator are there).
    expect(result.ownFiles).toContain('client/mcp-client.ts');
    expect(result.packages.has('chalk')).toBe(true);
    expect(result.packages.has('@cfworker/json-schema')).toBe(true);
    for (const name of [...ALWAYS_UNNEEDED, '@modelcontextprotocol/sdk']) expect(result.packages, name).not.toContain(name);
    expect(result.ownFiles.filter((file) => COLD_COMMANDS.includes(file) || file === 'client/login.ts' || file === 'config/config-file-schema.ts')).toEqual([]);
    expect(result.outside).toEqual([]);
    // What --help loads, and the light commands' layer; both required, no ES module of the bundle.
    expect(result.bundleFiles).toEqual(['main.cjs', 'hot.cjs']);
    expect(result.esmBundleFiles).toEqual([]);
  });

  it('token with a valid stored token loads neither the login stack nor the SDK', async () => {
    const result = await run(['token', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('.')).toHaveLength(3);
    for (const name of [...ALWAYS_UNNEEDED, '@modelcontextprotocol/sdk']) expect(result.packages, name).not.toContain(name);
    expect(result.outside).toEqual([]);
  });

  // Last: it ends the stored login. It shows the hook sees what loads lazily (the assertions above are not vacuous).
  it('logout loads its command module and the OAuth client from chunks of their own', async () => {
    const result = await run(['logout', fx.server.mcpUrl]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ownFiles).toContain('cli/logout.ts');
    expect(result.packages.has('openid-client')).toBe(true);
    expect(result.esmBundleFiles.length).toBeGreaterThan(0);
    // A module lives in one layer only: the lazy files take what main.cjs and hot.cjs hold from them.
    const held = new Set([...CHUNKS['main.cjs']!, ...CHUNKS['hot.cjs']!]);
    expect(result.esmBundleFiles.flatMap((file) => CHUNKS[file]!.filter((input) => held.has(input)))).toEqual([]);
  });
});
