import { makeTodos, SEED_COUNT, TOOL_REQUESTS } from '../lib/fixtures.mjs';
import { ratio, round2 } from '../lib/ratio.mjs';
import { failures, runRows, sharedStart } from '../lib/run-rows.mjs';
import { startBareSdkRow, startPlainExpressRow, startTodoMcpRow } from '../lib/todo-server-rows.mjs';
import { POSTGRES, startPostgresCluster } from '../../test/helpers/postgres-cluster.mjs';

const MODES = ['sessions', 'stateless'];
const TOOLS = ['get-todos', 'create-todo'];
/** Targets (issue 15): todo-mcp with its request log on, next to the bare SDK in the same run. */
export const TARGETS = { 'get-todos': 0.95, 'create-todo': 0.9 };
/** The request log may cost at most 5% of get-todos' throughput: log on / log off. */
export const LOG_TARGET = 0.95;
/** PostgreSQL next to the JSON file, same mode and tool. */
export const POSTGRES_TARGET = 0.6;

/**
 * The rows in the order they run: (a), then per mode (b) and (c) for each tool, (c) with its request log
 * on (`serve` as users run it) and off (`--log-level silent`), then (p): (c) with todos in PostgreSQL. Each
 * row starts its own server, except in the smoke run, where the rows of a server and mode share one.
 */
function rowSpecs({ timing, postgres }) {
  const connections = timing.connections;
  const perTool = (start) => (timing.shareServers ? sharedStart(start, TOOLS.length) : start);
  const specs = [
    {
      row: { id: 'a', server: 'plain express', mode: '-', tool: 'get-todos' },
      body: TOOL_REQUESTS['get-todos'],
      start: () => startPlainExpressRow(),
    },
  ];
  // Read at the end of a (c) row: the fetches of the whole run, start-up and sessions included, and the
  // request lines the server wrote (its stdout is a pipe this process reads, as a process manager would).
  const extra = (setup) => ({ jwksFetches: setup.issuer.jwksFetches, loggedRequests: setup.server.loggedRequests });
  for (const mode of MODES) {
    const stateless = mode === 'stateless';
    const startB = perTool(() => startBareSdkRow({ stateless, connections }));
    for (const tool of TOOLS) {
      specs.push({ row: { id: `b-${mode}-${tool}`, server: 'bare SDK', mode, tool }, body: TOOL_REQUESTS[tool], start: startB });
    }
    for (const log of ['on', 'off']) {
      const start = perTool(() => startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless, connections, logLevel: log === 'on' ? undefined : 'silent' }));
      for (const tool of TOOLS) {
        specs.push({ row: { id: `c-${mode}-${tool}${log === 'on' ? '' : '-nolog'}`, server: 'todo-mcp', store: 'JSON', log, mode, tool }, body: TOOL_REQUESTS[tool], start, extra });
      }
    }
    if (!postgres) continue;
    const startP = perTool(async () => startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless, connections, postgres: await postgres() }));
    for (const tool of TOOLS) {
      specs.push({ row: { id: `p-${mode}-${tool}`, server: 'todo-mcp', store: 'PostgreSQL', log: 'on', mode, tool }, body: TOOL_REQUESTS[tool], start: startP, extra });
    }
  }
  return specs;
}

/** The section's PostgreSQL cluster, started when a (p) row first needs it (fsync on, as in production). */
function lazyCluster() {
  let cluster;
  return {
    get: () => (cluster ??= startPostgresCluster({ fsync: true })),
    stop: async () => (cluster ? (await cluster).stop() : undefined),
  };
}

/**
 * Section 1: tool-call throughput with identical client settings for (a) plain express, (b) the bare SDK,
 * (c) todo-mcp as `serve` runs it (a real JWT on every request, the real JSON store, the request log on
 * and off) and (p) the same on PostgreSQL; then the ratios c/b, c/a, log on/off and PostgreSQL/JSON.
 * Every row gets a fresh server process and a fresh store holding the same seed todos. (p) rows are left
 * out, with the reason logged, where PostgreSQL is not installed.
 */
export async function runThroughput({ timing, cpuProfDir, log, overlap, only, repeat }) {
  log(`throughput (${timing.connections} connections):`);
  const withPostgres = POSTGRES.available && timing.postgresRows !== false;
  if (!withPostgres) log(`  PostgreSQL rows skipped: ${POSTGRES.available ? 'not in this run profile' : POSTGRES.reason}`);
  const cluster = lazyCluster();
  let rows;
  try {
    rows = await runRows(rowSpecs({ timing, postgres: withPostgres ? cluster.get : undefined }), { timing, log, overlap, only, repeat, cpuProfDir });
  } finally {
    await cluster.stop();
  }

  const byId = new Map(rows.map((r) => [r.id, r]));
  const a = byId.get('a');
  for (const row of rows) {
    if (row.server !== 'todo-mcp') continue;
    const b = byId.get(`b-${row.mode}-${row.tool}`);
    row.ratioCB = ratio(row, b);
    row.ratioCA = ratio(row, a);
    // The same comparison by server CPU per request (b's over c's): what c/b would be were the server
    // CPU-bound with a core to itself.
    row.ratioCBcpu = b?.cpuUsPerReq && row.cpuUsPerReq ? round2(b.cpuUsPerReq / row.cpuUsPerReq) : null;
    const checks = [];
    if (row.store === 'JSON' && row.log === 'on') {
      checks.push({ name: 'c/b', value: row.ratioCB, target: TARGETS[row.tool] });
      row.ratioLogOnOff = ratio(row, byId.get(`${row.id}-nolog`));
      if (row.tool === 'get-todos') checks.push({ name: 'log on/off', value: row.ratioLogOnOff, target: LOG_TARGET });
    }
    if (row.store === 'PostgreSQL') {
      const json = byId.get(`c-${row.mode}-${row.tool}`);
      row.ratioPgJson = ratio(row, json);
      // The same by CPU: the JSON row's server against this row's server plus PostgreSQL's backends, what
      // pg/json would be were each set-up CPU-bound on a machine of its own.
      row.ratioPgJsonCpu = json?.cpuUsPerReq && row.cpuUsPerReq && row.postgresCpuUsPerReq != null ? round2(json.cpuUsPerReq / (row.cpuUsPerReq + row.postgresCpuUsPerReq)) : null;
      checks.push({ name: 'pg/json', value: row.ratioPgJson, target: POSTGRES_TARGET });
    }
    row.targets = checks.map((check) => ({ ...check, met: check.value !== null && check.value !== undefined && check.value >= check.target && failures(row) === 0 }));
  }
  return rows;
}
