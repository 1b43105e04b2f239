import { readFileSync } from 'node:fs';
import type { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `stack` with every position in a built file (`file:///…/x.js:line:column` in an ES module,
 * `/…/x.cjs:line:column` in CommonJS) replaced by its place in src/, read from the file's source map
 * (`x.js.map`, written beside the CLI bundle); positions without a map stay as they are. The CLI runs
 * without --enable-source-maps, which would read and parse the maps of every chunk on every start; this
 * reads them only when an internal error is being reported. (node:module's SourceMap is fetched then too:
 * importing it loads Node's source-map code into every start.)
 */
export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(/((?:file:\/\/)?\/[^\s()]+?\.c?js):(\d+):(\d+)/g, (position, where: string, line: string, column: string) => {
    const url = where.startsWith('file:') ? where : pathToFileURL(where).href;
    if (!maps.has(url)) maps.set(url, readSourceMap(url));
    const entry = maps.get(url)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return position;
    // The bundler's own glue (a layer's registry, a module taken from another layer) has sources named
    // `todo-mcp-…:`, not files: such a position stays as it is. Reporting an error must never throw one.
    const original = URL.parse(entry.originalSource, url);
    if (original?.protocol !== 'file:') return position;
    return `${fileURLToPath(original)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function readSourceMap(url: string): SourceMap | undefined {
  try {
    const { SourceMap: SourceMapClass } = process.getBuiltinModule('node:module');
    return new SourceMapClass(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined;
  }
}
