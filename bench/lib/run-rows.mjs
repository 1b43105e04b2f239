import { join } from 'node:path';
import { runLoad } from './load.mjs';
import { checkToolCall } from './mcp-http.mjs';

/**
 * One row, once: check one call succeeds, warm up (not measured), measure, then read the server's peak
 * memory and the CPU time it spent during the measured part, which is profiled into `cpuProfDir` when
 * given. CPU per request says what a row costs even when other processes compete for the CPUs.
 */
async function measureRow(spec, setup, { timing, cpuProfDir, run }) {
  const { server, headersFor } = setup;
  const load = { url: server.url, connections: timing.connections, headersFor };
  await checkToolCall(server.url, headersFor(0), spec.check ?? spec.body);
  if (timing.warmup > 0) await runLoad({ ...load, body: spec.warmupBody ?? spec.body, duration: timing.warmup });
  if (cpuProfDir) await server.profileStart();
  const before = await server.stats();
  const result = await runLoad({ ...load, body: spec.body, duration: timing.duration, amount: timing.amount });
  const after = await server.stats();
  if (cpuProfDir) await server.profileStop(join(cpuProfDir, `${spec.row.id}${run > 0 ? `-run${run + 1}` : ''}.cpuprofile`));
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
  return {
    ...spec.row,
    ...result,
    cpuUsPerReq: result.requests > 0 ? Math.round((cpuMs * 1000) / result.requests) : null,
    // Rows through PostgreSQL: the database's CPU per request beside the server's.
    ...(after.postgresCpuMs === undefined ? {} : { postgresCpuUsPerReq: result.requests > 0 ? Math.round(((after.postgresCpuMs - before.postgresCpuMs) * 1000) / result.requests) : null }),
    maxRssMb: Math.round(after.maxRssKb / 1024),
    ...(spec.extra?.(setup) ?? {}),
  };
}

/** Of several runs of a row, the one with the median throughput, plus every run's req/s and failures summed. */
function medianRun(runs) {
  const sorted = [...runs].sort((x, y) => x.reqPerSec - y.reqPerSec);
  const chosen = sorted[(sorted.length - 1) >> 1];
  if (runs.length === 1) return chosen;
  const sum = (key) => runs.reduce((s, r) => s + r[key], 0);
  return { ...chosen, runs: runs.map((r) => r.reqPerSec), errors: sum('errors'), timeouts: sum('timeouts'), non2xx: sum('non2xx'), mismatches: sum('mismatches') };
}

/**
 * Runs load rows one after the other. Each spec has `row` (id and labels), `start()` (a fresh server and
 * its connections' headers), the `body` to send, optionally `warmupBody`, `check` (a body whose one call
 * must succeed before the row is measured) and `extra(setup)` (fields read before the server closes).
 *
 * `only` keeps the rows whose id starts with one of its prefixes. `repeat` > 1 runs the whole list that
 * many times, interleaved (so a burst of outside load hits (b) and (c) alike), and keeps each row's median
 * run. With `overlap` (the smoke run only), the next row's server starts while this row is measured and
 * servers close in the background: the run takes seconds, and its numbers are not comparable.
 */
export async function runRows(allSpecs, { timing, log, overlap = false, only, repeat = 1, cpuProfDir }) {
  const chosen = only ? allSpecs.filter((spec) => only.some((prefix) => spec.row.id.startsWith(prefix))) : allSpecs;
  const specs = Array.from({ length: repeat }, () => chosen).flat();
  const runs = new Map(chosen.map((spec) => [spec.row.id, []]));
  const closing = [];
  let next = specs.length > 0 ? specs[0].start() : undefined;
  try {
    for (let i = 0; i < specs.length; i += 1) {
      const spec = specs[i];
      const setup = await next;
      next = undefined;
      if (overlap && i + 1 < specs.length) {
        next = specs[i + 1].start();
        next.catch(() => undefined); // awaited (and its failure reported) on the next turn
      }
      try {
        const result = await measureRow(spec, setup, { timing, cpuProfDir, run: Math.floor(i / chosen.length) });
        log(`  ${result.id}: ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.cpuUsPerReq} µs CPU/req, peak RSS ${result.maxRssMb} MiB`);
        runs.get(spec.row.id).push(result);
      } finally {
        if (overlap) closing.push(setup.close());
        else await setup.close();
      }
      if (!overlap && i + 1 < specs.length) next = specs[i + 1].start();
    }
  } finally {
    if (next) closing.push(next.then((setup) => setup.close(), () => undefined));
    await Promise.all(closing);
  }
  return chosen.map((spec) => medianRun(runs.get(spec.row.id)));
}

/**
 * A `start` for `users` consecutive rows that share one server (the smoke run: fewer processes to start):
 * every `users` calls start a new one, which closes once all its rows have closed it.
 */
export function sharedStart(start, users) {
  let current;
  let handedOut = users;
  return () => {
    if (handedOut === users) {
      current = { setup: start(), open: users };
      handedOut = 0;
    }
    handedOut += 1;
    const entry = current;
    return entry.setup.then((setup) => ({
      ...setup,
      async close() {
        entry.open -= 1;
        if (entry.open === 0) await setup.close();
      },
    }));
  };
}

/** Everything that went wrong in a row: connection errors, timeouts, non-2xx answers and failed tool calls. */
export function failures(row) {
  return row.errors + row.timeouts + row.non2xx + row.mismatches;
}
