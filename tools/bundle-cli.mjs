#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it loads) into dist/bundle/ with esbuild, after tsc has
// type-checked src/ and written dist/ (which the tests, the bench and the reliability suite import module by
// module). bin/todo-mcp.js runs dist/bundle/main.cjs. Run by `npm run build`.
//
// Why a bundle: on Node 20 each ES module costs about 0.7 ms to resolve, read, compile and link (measured:
// a chain of 40 one-line modules adds ~30 ms to a start), and the unbundled `call` loaded ~150 of them.
//
// Why CommonJS for what every start loads: the same code required as CommonJS starts faster than imported as
// ES modules, because nothing on that path then goes through the ES module loader (measured on Node 20,
// alternating runs of `npm run bench -- --only cli`: `call get-todos` with a cached token 2.19–2.3× `node -e 0`
// against 2.4–2.56× for the all-ESM bundle, `--help` 1.37–1.41× against 1.52–1.55×). The code comes in three
// layers, each loaded only when needed:
//   main.cjs  what main reaches: commander and the command declarations (all that --help loads);
//   hot.cjs   what the light commands add (`call`, `tools`, `token`, `whoami`: the MCP client, the token
//             store, chalk, the output-schema validator);
//   lazy-*.js ES modules (code-split) for the rest, each loaded when a command needs it: the login stack, the
//             servers, zod, the stdio bridge, Logto. Packages only the servers use stay outside the bundle
//             (EXTERNAL) and load from node_modules when a server starts.
// A module lives in exactly one layer, so a class is one class everywhere (an error thrown by the login stack
// is `instanceof` what main checks): each CommonJS layer exports a registry of its modules by source path,
// and a later layer that imports a module of an earlier one gets it from that registry instead of a copy.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
/** Where the bundle goes: two levels below the package root, like dist/cli/, so that paths such as `../../package.json` from import.meta.url still hold. */
export const BUNDLE_DIR = join(ROOT, 'dist', 'bundle');

/** The modules that a command with a cached token needs, beside src/cli/main.ts: the hot layer. */
const HOT_MODULES = ['cli/call.ts', 'cli/tools.ts', 'cli/token.ts', 'cli/whoami.ts', 'config/config-file.ts'].map((m) => join(SRC, m));

/** Server-side packages: loaded by `serve`, `auth-server`, `init` and `logto setup` only, from node_modules (a bundle would gain nothing). */
const EXTERNAL = ['oidc-provider', 'pg', 'express', 'lowdb', 'pino', '@logto/api'];

const REGISTRY = 'todo-mcp-registry';
const FROM_LAYER = 'todo-mcp-from-layer';
const BUILTIN = 'todo-mcp-builtin';

/** A module's name in the registries and in chunks.json: its path relative to the package root. */
const keyOf = (path) => relative(ROOT, path);
/** The lazy layer's entry file for a module loaded with import() from a CommonJS layer. */
const lazyEntryName = (path) => `lazy-${keyOf(path).replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9]+/g, '-')}`;

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

/** The absolute paths of the modules (files) a build took in, virtual ones left out. */
function modulesOf(metafile) {
  return new Set(Object.keys(metafile.inputs).filter((input) => !/^[a-z-]+:|^<stdin>$/.test(input)).map((input) => resolve(ROOT, input)));
}

/**
 * Where each import goes, given the CommonJS layers ([file, Set of absolute module paths]) and `self`, the
 * layer being built (undefined for the lazy layer):
 * - a module of another CommonJS layer comes from that layer's registry,
 *   `require('./main.cjs').modules['src/x.ts']`: the very objects that layer uses;
 * - in a CommonJS layer, import() of a module of no CommonJS layer becomes an import() of its lazy entry
 *   (collected in `lazyTargets`), and import('node:…') a require, so that the ES module loader is not started;
 * - anything else is bundled where it is imported.
 */
function layering({ layers, self, lazyTargets }) {
  const layerOf = (path) => layers.find(([, modules]) => modules.has(path))?.[0];
  return {
    name: 'layering',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.namespace !== 'file' || args.pluginData?.resolving) return undefined;
        if (args.path.startsWith('node:')) return self && args.kind === 'dynamic-import' ? { path: args.path, namespace: BUILTIN } : undefined;
        const target = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { resolving: true } });
        if (target.errors.length > 0 || target.external) return undefined;
        const layer = layerOf(target.path);
        if (layer !== undefined && layer !== self) return { path: `${layer}#${keyOf(target.path)}`, namespace: FROM_LAYER };
        if (self && layer === undefined && args.kind === 'dynamic-import') {
          lazyTargets.add(target.path);
          return { path: `./${lazyEntryName(target.path)}.js`, external: true };
        }
        return undefined;
      });
      b.onResolve({ filter: /.*/, namespace: FROM_LAYER }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /.*/, namespace: FROM_LAYER }, (args) => {
        const [file, key] = args.path.split('#');
        return { contents: `module.exports = require(${JSON.stringify(`./${file}`)}).modules[${JSON.stringify(key)}];`, loader: 'js' };
      });
      b.onResolve({ filter: /.*/, namespace: BUILTIN }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /.*/, namespace: BUILTIN }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}

/** A layer's registry (its entry): its modules by key, plus `main` for the layer holding src/cli/main.ts. */
function registrySource(modules) {
  const list = [...modules].filter((path) => /\.[cm]?[jt]sx?$/.test(path));
  const lines = list.map((path, i) => `import * as m${i} from ${JSON.stringify(path)};`);
  lines.push(`export const modules = { ${list.map((path, i) => `${JSON.stringify(keyOf(path))}: m${i}`).join(', ')} };`);
  if (modules.has(join(SRC, 'cli/main.ts'))) lines.push(`export { main } from ${JSON.stringify(join(SRC, 'cli/main.ts'))};`);
  return lines.join('\n');
}

/** What every layer is built with: Node 20, the server packages left to node_modules, linked source maps. */
const SHARED = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Linked maps: read only when Node runs with --enable-source-maps (or when main maps an internal error's stack).
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

const COMMONJS = {
  ...SHARED,
  format: 'cjs',
  // import.meta.url, for the modules that find files beside the package (package.json, templates/).
  define: { 'import.meta.url': '__todoMcpImportMetaUrl' },
  banner: { js: "const __todoMcpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** The modules `entries` reach without import(), less those of `taken` (a layer's contents). Writes nothing. */
async function staticClosure(entries, taken, outdir) {
  const probe = await build({
    ...COMMONJS,
    stdin: { contents: entries.map((path) => `import ${JSON.stringify(path)};`).join('\n'), resolveDir: ROOT, loader: 'js' },
    write: false,
    outfile: join(outdir, 'probe.cjs'),
    plugins: [
      {
        name: 'no-dynamic-imports',
        setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined)),
      },
      lazyChildProcessInCommander,
    ],
  });
  const modules = modulesOf(probe.metafile);
  for (const path of taken) modules.delete(path);
  for (const path of modules) {
    const pkg = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path)?.[1];
    if (pkg && EXTERNAL.includes(pkg)) throw new Error(`${keyOf(path)}: a CommonJS layer would hold the server package ${pkg} (tools/bundle-cli.mjs)`);
  }
  return modules;
}

/** Writes the CommonJS layer `file`: the registry of `layers`' entry for it, with `layering`. */
async function commonJsLayer(file, layers, lazyTargets, outdir) {
  const modules = layers.find(([name]) => name === file)[1];
  const registry = {
    name: 'registry',
    setup: (b) => {
      b.onResolve({ filter: new RegExp(`^${REGISTRY}$`) }, () => ({ path: REGISTRY, namespace: REGISTRY }));
      b.onLoad({ filter: /.*/, namespace: REGISTRY }, () => ({ contents: registrySource(modules), resolveDir: ROOT, loader: 'js' }));
    },
  };
  const result = await build({
    ...COMMONJS,
    entryPoints: [REGISTRY],
    outfile: join(outdir, file),
    plugins: [registry, layering({ layers, self: file, lazyTargets }), lazyChildProcessInCommander],
  });
  return result.metafile;
}

export async function bundleCli({ outdir = BUNDLE_DIR } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const mainModules = await staticClosure([join(SRC, 'cli/main.ts')], new Set(), outdir);
  const hotModules = await staticClosure(HOT_MODULES, mainModules, outdir);
  const layers = [['main.cjs', mainModules], ['hot.cjs', hotModules]];
  const lazyTargets = new Set();
  const metafiles = [await commonJsLayer('main.cjs', layers, lazyTargets, outdir), await commonJsLayer('hot.cjs', layers, lazyTargets, outdir)];

  // lazy-*.js: everything else, as code-split ES modules, taking what the CommonJS layers hold from them.
  const lazy = await build({
    ...SHARED,
    // Sorted: lazyTargets fills in the order imports happen to resolve, and the entry order shapes the chunks.
    entryPoints: [...lazyTargets].sort().map((path) => ({ in: path, out: lazyEntryName(path) })),
    splitting: true,
    format: 'esm',
    outdir,
    chunkNames: 'chunk-[hash]',
    plugins: [layering({ layers, self: undefined, lazyTargets: new Set() }), lazyChildProcessInCommander],
    // Bundled CommonJS (and the registries of main.cjs and hot.cjs) need a require in ES modules.
    banner: { js: "import { createRequire as __todoMcpCreateRequire } from 'node:module'; const require = __todoMcpCreateRequire(import.meta.url);" },
  });
  metafiles.push(lazy.metafile);

  // What each file holds, for the test of what each command loads (test/cli/lazy-loading.test.ts).
  const chunks = {};
  for (const metafile of metafiles) {
    for (const [file, output] of Object.entries(metafile.outputs)) {
      if (!/\.c?js$/.test(file)) continue;
      chunks[relative(outdir, resolve(ROOT, file))] = [...modulesOf({ inputs: output.inputs })].map(keyOf);
    }
  }
  await writeFile(join(outdir, 'chunks.json'), `${JSON.stringify(chunks, null, 1)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
