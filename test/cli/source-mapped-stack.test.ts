import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceMappedStack } from '../../src/cli/source-mapped-stack.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = `${ROOT}dist/bundle/`;
const CHUNKS = JSON.parse(readFileSync(`${BUNDLE}chunks.json`, 'utf8')) as Record<string, string[]>;

/** 1-based line and column of the first occurrence of `text` in `source`. */
function positionOf(source: string, text: string): { line: number; column: number } {
  const at = source.indexOf(text);
  expect(at, text).toBeGreaterThanOrEqual(0);
  const before = source.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('internal errors of the bundled CLI name places in src/', () => {
  it('maps a frame in a bundle chunk to the TypeScript line it came from', () => {
    const source = 'src/client/check-structured-content.ts';
    const chunk = Object.keys(CHUNKS).find((file) => CHUNKS[file]!.includes(source));
    expect(chunk, 'the chunk holding the module').toBeDefined();
    const generated = positionOf(readFileSync(`${BUNDLE}${chunk}`, 'utf8'), 'function checkStructuredContent(');
    const original = positionOf(readFileSync(`${ROOT}${source}`, 'utf8'), 'function checkStructuredContent(');
    const url = pathToFileURL(`${BUNDLE}${chunk}`).href;
    const stack = `TypeError: boom\n    at checkStructuredContent (${url}:${generated.line}:${generated.column})\n    at node:internal/process/task_queues:95:5`;
    const mapped = sourceMappedStack(stack);
    expect(mapped).toContain(`at checkStructuredContent (${ROOT}${source}:${original.line}:`);
    expect(mapped).toContain('at node:internal/process/task_queues:95:5');
  });

  it('maps a CommonJS frame (a plain path) in main.cjs, the layer every start loads', () => {
    const source = 'src/cli/main.ts';
    expect(CHUNKS['main.cjs']).toContain(source);
    const generated = positionOf(readFileSync(`${BUNDLE}main.cjs`, 'utf8'), 'function exitCodeFor(');
    const original = positionOf(readFileSync(`${ROOT}${source}`, 'utf8'), 'function exitCodeFor(');
    const stack = `TypeError: boom\n    at exitCodeFor (${BUNDLE}main.cjs:${generated.line}:${generated.column})`;
    expect(sourceMappedStack(stack)).toContain(`at exitCodeFor (${ROOT}${source}:${original.line}:`);
  });

  it('leaves a position in the bundle glue as it is (its source is no file), without throwing', () => {
    // Where a light command requires hot.cjs: a broken or half-written layer fails right here.
    const glue = 'require("./hot.cjs").modules["src/cli/call.ts"]';
    const generated = positionOf(readFileSync(`${BUNDLE}main.cjs`, 'utf8'), glue);
    const stack = `Error: Cannot find module './hot.cjs'\n    at Object.<anonymous> (${BUNDLE}main.cjs:${generated.line}:${generated.column})`;
    expect(sourceMappedStack(stack)).toBe(stack);
  });

  it('leaves positions it has no map for as they are', () => {
    const stack = 'Error: x\n    at f (file:///nowhere/at-all.js:3:7)';
    expect(sourceMappedStack(stack)).toBe(stack);
  });
});
