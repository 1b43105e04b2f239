import { makeTodos, TOOL_REQUESTS } from '../lib/fixtures.mjs';
import { ratio } from '../lib/ratio.mjs';
import { failures, runRows } from '../lib/run-rows.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';

/** get-todos' first page (100) at the largest size must keep this fraction of its rate at the smallest. */
export const LISTING_TARGET = 0.8;
const ADMIN = 'create:todos read:todos delete:todos';

/**
 * Section 2: get-todos by an Admin (who may list everyone's todos) with 1k/10k/100k todos stored
 * (`timing.storedSizes`, owned by 100 other users): a page of 100, as a call without arguments returns,
 * on `serve` with its request log on (sessions). A page must cost about the same at any size.
 */
export async function runListing({ timing, cpuProfDir, log, overlap, only, repeat }) {
  log('get-todos by an Admin over growing stores (sessions, log on):');
  const specs = timing.storedSizes.map((stored) => ({
    row: { id: `list-${stored}`, stored },
    body: TOOL_REQUESTS['get-todos'],
    start: () =>
      startTodoMcpRow({
        todos: makeTodos(stored, { owners: 100, ownerPrefix: 'owner', contentPrefix: 'Stored todo' }),
        stateless: false,
        scope: ADMIN,
        connections: timing.connections,
      }),
    extra: (setup) => ({ startMs: setup.startMs, loggedRequests: setup.server.loggedRequests }),
  }));
  const rows = await runRows(specs, { timing, log, overlap, only, repeat, cpuProfDir });
  const first = rows[0];
  for (const row of rows) row.ratioToFirst = ratio(row, first);
  const last = rows[rows.length - 1];
  const complete = rows.length === timing.storedSizes.length;
  return { rows, target: LISTING_TARGET, meetsTarget: complete ? last.ratioToFirst >= LISTING_TARGET && rows.every((r) => failures(r) === 0) : null };
}
