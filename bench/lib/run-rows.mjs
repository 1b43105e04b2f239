import { runLoad } from './load.mjs';
import { checkToolCall } from './mcp-http.mjs';

/** One row, once: check one call succeeds, warm up, measure, read the server's peak memory. */
async function measureRow(spec, setup, { timing }) {
  await checkToolCall(setup.server.url, setup.headersFor(0), spec.check ?? spec.body);
  const load = await runLoad({
    url: setup.server.url,
    body: spec.body,
    duration: timing.duration,
    connections: timing.connections,
    headersFor: setup.headersFor,
    warmup: { duration: timing.warmup, body: spec.warmupBody },
  });
  const stats = await setup.server.stats();
  return { ...spec.row, ...load, maxRssMb: Math.round(stats.maxRssKb / 1024), ...(spec.extra?.(setup) ?? {}) };
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
export async function runRows(allSpecs, { timing, log, overlap = false, only, repeat = 1 }) {
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
        const result = await measureRow(spec, setup, { timing });
        log(`  ${result.id}: ${result.reqPerSec} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, peak RSS ${result.maxRssMb} MiB`);
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

/** Everything that went wrong in a row: connection errors, timeouts, non-2xx answers and failed tool calls. */
export function failures(row) {
  return row.errors + row.timeouts + row.non2xx + row.mismatches;
}
