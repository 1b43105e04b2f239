#!/usr/bin/env node
// `npm run bench` (builds first): todo-mcp against the bare SDK and plain express on loopback, storage
// growth, CLI start-up and token verification. Prints Markdown tables and writes bench/results.json.
// What each section measures and how: bench/README.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './lib/args.mjs';
import { cliTable, growthTable, throughputTable, verifyTable } from './lib/table.mjs';
import { runListing } from './sections/listing.mjs';
import { runCliStartup } from './sections/cli-startup.mjs';
import { runStorage } from './sections/storage.mjs';
import { runThroughput } from './sections/throughput.mjs';
import { runVerifyCost } from './sections/verify-cost.mjs';
import { postgresTable, runPostgres } from './sections/postgres.mjs';
import { bridgeTable, runBridgeOverhead } from './sections/bridge.mjs';

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const out = resolve(options.out ?? fileURLToPath(new URL('./results.json', import.meta.url)));
const cpuProfDir = options.cpuProfDir ? resolve(options.cpuProfDir) : undefined;
if (cpuProfDir) await mkdir(cpuProfDir, { recursive: true });
// Progress goes to stderr, the tables to stdout (so `npm run bench > table.md` keeps only the tables).
const log = (line) => process.stderr.write(`${line}\n`);
const { timing, sections } = options;
const overlap = timing.overlap === true;

const results = {
  date: new Date().toISOString(),
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  profile: options.profile,
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, platform: `${process.platform} ${process.arch}` },
  client: { tool: 'autocannon', connections: timing.connections, durationSec: timing.duration, warmupSec: timing.warmup, repeat: options.repeat },
};
const repeats = options.repeat > 1 ? `, median of ${options.repeat} interleaved runs` : '';
const setting = `${timing.connections} connections, ${timing.duration} s per row after ${timing.warmup} s warm-up${repeats}`;
log(`todo-mcp bench (${options.profile}: ${setting}) on ${results.machine.cpus} CPUs, Node ${process.version}`);

let failed = false;
try {
  if (sections.includes('throughput')) results.throughput = await runThroughput({ timing, cpuProfDir, log, overlap, only: options.rows, repeat: options.repeat });
  if (sections.includes('listing')) results.listing = await runListing({ timing, cpuProfDir, log, overlap, only: options.rows, repeat: options.repeat });
  if (sections.includes('storage')) results.storage = await runStorage({ timing, cpuProfDir, log, overlap, only: options.rows, repeat: options.repeat });
  if (sections.includes('cli')) results.cli = await runCliStartup({ runs: timing.cliRuns, warmupRun: timing.cliWarmupRun !== false, log, storedSizes: timing.storedSizes });
  if (sections.includes('verify')) results.verify = await runVerifyCost({ tokens: timing.verifyTokens, log });
  if (sections.includes('postgres')) results.postgres = await runPostgres({ timing, cpuProfDir, log, overlap, only: options.rows, repeat: options.repeat });
  if (sections.includes('bridge')) results.bridge = await runBridgeOverhead({ calls: options.profile === 'smoke' ? 20 : 1000, cpuProfDir, log });
} catch (error) {
  failed = true;
  results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`bench failed: ${results.error}`);
}

const parts = [`## todo-mcp bench: \`${results.command}\``, `${results.machine.cpus} × ${results.machine.cpu}, Node ${process.version}; autocannon, ${setting}.`];
if (results.throughput?.length) parts.push('### Tool-call throughput', throughputTable(results.throughput));
if (results.listing?.rows.length) parts.push('### get-todos by an Admin over growing stores (a page of 100, sessions, log on)', growthTable(results.listing));
if (results.storage?.rows.length) parts.push('### Storage growth (create-todo, sessions)', growthTable(results.storage));
if (results.cli) parts.push('### CLI start-up', cliTable(results.cli));
if (results.verify) parts.push('### Token verification', verifyTable(results.verify));
if (results.postgres) parts.push('### PostgreSQL store, replicas (stateless)', postgresTable(results.postgres));
if (results.bridge) parts.push('### Stdio bridge (todo-mcp connect)', bridgeTable(results.bridge));
process.stdout.write(`${parts.join('\n\n')}\n`);

await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${out}`);
process.exitCode = failed ? 1 : 0;
