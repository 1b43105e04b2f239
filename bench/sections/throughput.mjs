import { makeTodos, SEED_COUNT, TOOL_REQUESTS } from '../lib/fixtures.mjs';
import { ratio, round2 } from '../lib/ratio.mjs';
import { failures, runRows, sharedStart } from '../lib/run-rows.mjs';
import { startBareSdkRow, startPlainExpressRow, startTodoMcpRow } from '../lib/todo-server-rows.mjs';

const MODES = ['sessions', 'stateless'];
const TOOLS = ['get-todos', 'create-todo'];
/** c/b targets from the issue: reads must cost little next to the SDK, durable writes a bit more. */
export const TARGETS = { 'get-todos': 0.85, 'create-todo': 0.6 };

/**
 * The rows in the order they run: (a), then per mode (b) and (c) for each tool. Each row starts its own
 * server, except in the smoke run, where the two tool rows of a server and mode share one.
 */
function rowSpecs({ timing }) {
  const connections = timing.connections;
  const perTool = (start) => (timing.shareServers ? sharedStart(start, TOOLS.length) : start);
  const specs = [
    {
      row: { id: 'a', server: 'plain express', mode: '-', tool: 'get-todos' },
      body: TOOL_REQUESTS['get-todos'],
      start: () => startPlainExpressRow(),
    },
  ];
  for (const mode of MODES) {
    const stateless = mode === 'stateless';
    const startB = perTool(() => startBareSdkRow({ stateless, connections }));
    for (const tool of TOOLS) {
      specs.push({
        row: { id: `b-${mode}-${tool}`, server: 'bare SDK', mode, tool },
        body: TOOL_REQUESTS[tool],
        start: startB,
      });
    }
    const startC = perTool(() => startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless, connections }));
    for (const tool of TOOLS) {
      specs.push({
        row: { id: `c-${mode}-${tool}`, server: 'todo-mcp', mode, tool },
        body: TOOL_REQUESTS[tool],
        start: startC,
        // Read at the end of the row: the fetches of the whole run, start-up and sessions included.
        extra: (setup) => ({ jwksFetches: setup.issuer.jwksFetches }),
      });
    }
  }
  return specs;
}

/**
 * Section 1: tool-call throughput with identical client settings for (a) plain express, (b) the bare
 * SDK and (c) todo-mcp (a real JWT on every request, the real JSON store), then the ratios c/b and c/a.
 * Every row gets a fresh server process and, for (c), a fresh data file holding the same seed todos.
 */
export async function runThroughput({ timing, cpuProfDir, log, overlap, only, repeat }) {
  log(`throughput (${timing.connections} connections):`);
  const rows = await runRows(rowSpecs({ timing }), { timing, log, overlap, only, repeat, cpuProfDir });

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
    row.target = TARGETS[row.tool];
    row.meetsTarget = row.ratioCB !== null && row.ratioCB >= row.target && failures(row) === 0;
  }
  return rows;
}
