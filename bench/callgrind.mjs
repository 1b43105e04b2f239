#!/usr/bin/env node
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { makeTodos, SEED_COUNT, TOOL_REQUESTS } from './lib/fixtures.mjs';
import { runLoad } from './lib/load.mjs';
import { failures } from './lib/run-rows.mjs';
import { startBareSdkRow, startTodoMcpRow } from './lib/todo-server-rows.mjs';

const run = promisify(execFile);

/**
 * Instructions per tool call, counted by valgrind's callgrind in the server process: (b) the bare SDK and
 * (c) `todo-mcp serve`, sessions, as the throughput section runs them. Counts do not move with the load
 * on a shared machine, so a change of a few per cent shows where wall-clock rows cannot (they move by up
 * to 25% between rounds here). Each server runs under callgrind from its start; after a warm-up the
 * counters are dumped, `--calls` calls are sent, and they are dumped again: the second dump over the
 * calls is the figure. Slow (the server runs ~50× slower): minutes per row.
 *
 *   node bench/callgrind.mjs [--rows b,c,c-nolog] [--tool get-todos|create-todo] [--calls 1500] [--warmup 3000] [--connections 50] [--keep]
 */
const ROWS = ['b', 'c', 'c-nolog'];
const USAGE = `usage: node bench/callgrind.mjs [--rows ${ROWS.join(',')}] [--tool ${Object.keys(TOOL_REQUESTS).join('|')}] [--calls n] [--warmup n] [--connections n] [--keep]`;
// Strict: a mistyped flag (--call, --row) is refused rather than silently leaving a default in place.
let args;
try {
  ({ values: args } = parseArgs({
    args: process.argv.slice(2),
    options: { rows: { type: 'string' }, tool: { type: 'string' }, calls: { type: 'string' }, warmup: { type: 'string' }, connections: { type: 'string' }, keep: { type: 'boolean' } },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
const tool = args.tool ?? 'get-todos';
const calls = Number(args.calls ?? 1500);
const warmup = Number(args.warmup ?? 3000);
const connections = Number(args.connections ?? 50);
const rows = (args.rows ?? 'b,c').split(',');
const unknown = rows.filter((row) => !ROWS.includes(row));
if (unknown.length > 0 || !(tool in TOOL_REQUESTS) || !(calls > 0) || !(warmup >= 0) || !(connections > 0)) {
  console.error(USAGE);
  process.exit(2);
}
try {
  await run('valgrind', ['--version']);
} catch {
  console.error('valgrind is not installed (Debian: apt-get install valgrind)');
  process.exit(2);
}

const out = await mkdtemp(join(tmpdir(), 'todo-mcp-callgrind-'));
// Ctrl-C reaches the servers too (one process group), and they stop; a run cut short leaves no dumps behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (!args.keep) rmSync(out, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
try {
  const results = [];
  for (const row of rows) results.push({ row, ...(await measure(row)) });
  const base = results.find((r) => r.row === 'b');
  const perCall = (n) => Math.round(n).toLocaleString('en');
  console.log(`| row | tool | calls | instructions per call | vs b | of which major GC | vs b without major GC |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
  for (const r of results) {
    const vsB = base ? (r.perCall / base.perCall).toFixed(3) : '–';
    const vsBNoGc = base ? ((r.perCall - r.majorGcPerCall) / (base.perCall - base.majorGcPerCall)).toFixed(3) : '–';
    console.log(`| ${r.row} | ${tool} | ${r.calls} | ${perCall(r.perCall)} | ${vsB} | ${perCall(r.majorGcPerCall)} | ${vsBNoGc} |`);
  }
} finally {
  if (!args.keep) await rm(out, { recursive: true, force: true });
  else console.error(`dumps kept in ${out}`);
}

async function measure(row) {
  const wrap = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${join(out, `${row}.%p`)}`, '--dump-instr=no'];
  const started = Date.now();
  const setup =
    row === 'b'
      ? await startBareSdkRow({ stateless: false, connections, wrap })
      : await startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless: false, connections, logLevel: row === 'c-nolog' ? 'silent' : undefined, wrap });
  try {
    const pid = setup.server.pid;
    console.error(`${row}: started under callgrind in ${Math.round((Date.now() - started) / 1000)} s (pid ${pid})`);
    const load = (amount) => runLoad({ url: setup.server.url, body: TOOL_REQUESTS[tool], amount, connections, headersFor: setup.headersFor, timeoutSec: 120 });
    const w = await load(warmup);
    check(row, w, warmup);
    await dump(pid, setup);
    const before = await totals(row, pid);
    const t0 = Date.now();
    const m = await load(calls);
    check(row, m, calls);
    await dump(pid, setup);
    const after = await totals(row, pid);
    const fresh = after.filter((d) => !before.some((b) => b.file === d.file));
    if (fresh.length !== 1) throw new Error(`${row}: expected one new dump, found ${fresh.length}`);
    console.error(`${row}: ${m.requests} calls in ${Math.round((Date.now() - t0) / 1000)} s, ${fresh[0].instructions} instructions`);
    // The dump also holds the one wake-up request (see dump()): negligible next to the calls, and the same for every row.
    const majorGc = await majorGcInstructions(join(out, fresh[0].file));
    return { calls: m.requests, perCall: fresh[0].instructions / m.requests, majorGcPerCall: majorGc / m.requests };
  } finally {
    await setup.close();
  }
}

function check(row, result, amount) {
  const failed = failures(result);
  if (failed > 0 || result.requests < amount) throw new Error(`${row}: ${failed} failed calls, ${result.requests}/${amount} answered`);
}

/**
 * Asks callgrind for a dump. callgrind reads its commands only while the program runs, so an idle
 * server is woken by one request while callgrind_control waits.
 */
async function dump(pid, setup) {
  const control = run('callgrind_control', ['-d', String(pid)]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await fetch(setup.server.url.replace(/\/mcp$/, '/wake'), { method: 'GET' }).catch(() => undefined);
  await control;
}

async function totals(row, pid) {
  const files = (await readdir(out)).filter((f) => f.startsWith(`${row}.${pid}`));
  const dumps = [];
  for (const file of files) {
    const text = await readFile(join(out, file), 'utf8');
    const summary = /^(?:summary|totals): (\d+)/m.exec(text);
    if (summary) dumps.push({ file, instructions: Number(summary[1]) });
  }
  return dumps;
}

/**
 * Instructions a dump spent in V8's major collector (marking and sweeping). Whether one falls inside the
 * counted calls depends on where the heap happened to be when counting began, not on the calls: a row can
 * carry one and the next none, which alone moved (c) against (b) by ~5% in get-todos. Shown apart so that
 * a difference can be read with and without it.
 */
async function majorGcInstructions(file) {
  const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], { maxBuffer: 64 * 1024 * 1024 });
  let total = 0;
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (match && /MarkCompact|ConcurrentMarking|MarkingVisitor|MarkingBarrier|Sweeper/.test(match[2])) total += Number(match[1].replaceAll(',', ''));
  }
  return total;
}
