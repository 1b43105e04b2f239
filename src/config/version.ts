import { readFileSync } from 'node:fs';

/*
 * The version is written once, in package.json, and read from there. Measured on Node 20.20 (median of 31
 * process starts each, ms from process start to first output, three rounds): reading the file 106.0 / 81.4 /
 * 91.8, `import … with { type: 'json' }` 108.3 / 82.6 / 88.2, createRequire 110.9 / 86.9 / 90.4, nothing
 * 103.0 / 85.9 / 88.4: all within the noise. Reading the file needs no loader feature (no JSON-module
 * warning on any Node 20) and no package.json inside tsc's rootDir. The path is the same from src/config
 * (tests) and dist/config (the CLI).
 */

/** todo-mcp's version, from its package.json. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
