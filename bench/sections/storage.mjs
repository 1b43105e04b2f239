import { makeTodos, TOOL_REQUESTS } from '../lib/fixtures.mjs';
import { ratio } from '../lib/ratio.mjs';
import { failures, runRows } from '../lib/run-rows.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';

/** create-todo at the largest size must keep this fraction of its throughput at the smallest. */
export const STORAGE_TARGET = 0.5;

/**
 * Section 2: create-todo on todo-mcp (sessions) with 1k/10k/100k (`timing.storedSizes`) todos already in
 * the data file (written directly, owned by 100 other users), plus the server process's peak RSS. The
 * callers hold only create:todos, so the warm-up (get-todos) lists just their own todos: it warms the
 * request path without adding to the store.
 */
export async function runStorage({ timing, cpuProfDir, log, overlap, only, repeat }) {
  log('storage growth (create-todo, sessions):');
  const specs = timing.storedSizes.map((stored) => ({
    row: { id: `storage-${stored}`, stored },
    body: TOOL_REQUESTS['create-todo'],
    warmupBody: TOOL_REQUESTS['get-todos'],
    check: TOOL_REQUESTS['get-todos'],
    start: () =>
      startTodoMcpRow({
        todos: makeTodos(stored, { owners: 100, ownerPrefix: 'owner', contentPrefix: 'Stored todo' }),
        stateless: false,
        scope: 'create:todos',
        connections: timing.connections,
      }),
    extra: (setup) => ({ startMs: setup.startMs }),
  }));
  const rows = await runRows(specs, { timing, log, overlap, only, repeat, cpuProfDir });
  const first = rows[0];
  for (const row of rows) row.ratioToFirst = ratio(row, first);
  const last = rows[rows.length - 1];
  const complete = rows.length === timing.storedSizes.length;
  return { rows, target: STORAGE_TARGET, meetsTarget: complete ? last.ratioToFirst >= STORAGE_TARGET && rows.every((r) => failures(r) === 0) : null };
}
