#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it loads) into dist/bundle/ with esbuild, after tsc has
// type-checked src/ and written dist/ (which the tests, the bench and the reliability suite import module by
// module). bin/todo-mcp.js runs dist/bundle/cli.js. Run by `npm run build`.
//
// Why a bundle: on Node 20 each ES module costs about 0.7 ms to resolve, read, compile and link (measured:
// a chain of 40 one-line modules adds ~30 ms to a start), and the unbundled `call` loaded ~150 of them.
//
// Why this chunk layout: esbuild puts each module into the chunk of the set of entry points that reach it,
// and every dynamic import() is an entry point, so code splitting alone gave ~40 small chunks on the path of
// `call`. Here each dynamic import() goes through a small wrapper that also imports the CLI entry and the
// HOT_MODULES, so every module is reached by (nearly) the same set of entry points and lands in one of two
// shared chunks: what main reaches (commander, the command declarations: all --help loads), and what the
// light commands reach (the MCP client, the token store, chalk, the output-schema validator). What a command
// loads lazily (the login stack, the servers, zod, the stdio bridge, Logto) stays in chunks of its own,
// loaded only when used; packages that only the servers use stay outside the bundle (EXTERNAL) and load from
// node_modules when a server starts.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
/** Where the bundle goes: two levels below the package root, like dist/cli/, so that paths such as `../../package.json` from import.meta.url still hold. */
export const BUNDLE_DIR = join(ROOT, 'dist', 'bundle');

/** The modules that a command with a cached token needs, beside src/cli/main.ts: loaded together, after main. */
const HOT_MODULES = ['cli/call.ts', 'cli/tools.ts', 'cli/token.ts', 'cli/whoami.ts', 'config/config-file.ts'];

/** Server-side packages: loaded by `serve`, `auth-server`, `init` and `logto setup` only, from node_modules (a bundle would gain nothing). */
const EXTERNAL = ['oidc-provider', 'pg', 'express', 'lowdb', 'pino', '@logto/api'];

const ENTRY = 'todo-mcp-cli-entry';
const HOT = 'todo-mcp-hot-modules';
const LAZY = 'todo-mcp-lazy';

/** Wraps every dynamic import() of a bundled module (see the top of this file). */
const oneHotChunk = {
  name: 'one-hot-chunk',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${ENTRY}|${HOT})$`) }, (args) => ({ path: args.path, namespace: args.path }));
    b.onLoad({ filter: /.*/, namespace: ENTRY }, () => ({ contents: `export { main } from ${JSON.stringify(join(SRC, 'cli/main.ts'))};`, resolveDir: SRC, loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: HOT }, () => ({ contents: HOT_MODULES.map((m) => `import ${JSON.stringify(join(SRC, m))};`).join('\n'), resolveDir: SRC, loader: 'js' }));
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.namespace !== 'file' || args.path.startsWith('node:')) return undefined;
      const target = await b.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, importer: args.importer });
      if (target.errors.length > 0 || target.external) return target.errors.length > 0 ? { errors: target.errors } : { path: args.path, external: true };
      return { path: target.path, namespace: LAZY };
    });
    b.onLoad({ filter: /.*/, namespace: LAZY }, (args) => ({
      contents: `import ${JSON.stringify(ENTRY)};\nimport ${JSON.stringify(HOT)};\nexport * from ${JSON.stringify(args.path)};\n`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * commander require()s node:child_process when it loads, for executable subcommands (todo-mcp has none):
 * with what it pulls in, 2.6 ms of every `todo-mcp --help` (measured, Node 20). Deferred to the first spawn.
 */
const lazyChildProcessInCommander = {
  name: 'lazy-child-process-in-commander',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${args.path} no longer has ${eager}: adapt or drop lazyChildProcessInCommander (tools/bundle-cli.mjs)`);
      return { contents: source.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), loader: 'js' };
    });
  },
};

export async function bundleCli({ outdir = BUNDLE_DIR } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [{ in: ENTRY, out: 'cli' }],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    external: EXTERNAL,
    plugins: [oneHotChunk, lazyChildProcessInCommander],
    // Bundled CommonJS (commander) require()s Node's built-in modules: give ESM chunks a require.
    banner: { js: "import { createRequire as __todoMcpCreateRequire } from 'node:module'; const require = __todoMcpCreateRequire(import.meta.url);" },
    // Linked maps: read only when Node runs with --enable-source-maps (or when main maps an internal error's stack).
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  // What each chunk holds, for the test of what each command loads (test/cli/lazy-loading.test.ts).
  const chunks = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    chunks[relative(outdir, resolve(ROOT, file))] = Object.keys(output.inputs).map((input) => {
      // The wrappers' inputs are named namespace:/absolute/path; name them like the others, relative to the root.
      const path = input.replace(/^[a-z-]+:/, '');
      return path.startsWith('/') ? relative(ROOT, path) : path;
    });
  }
  await writeFile(join(outdir, 'chunks.json'), `${JSON.stringify(chunks, null, 1)}\n`);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
