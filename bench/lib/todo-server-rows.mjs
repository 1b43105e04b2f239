import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './child-server.mjs';
import { writeTodoFile } from './fixtures.mjs';
import { startBenchIssuer } from './issuer.mjs';
import { openSession } from './mcp-http.mjs';

/** Runs `fn(i)` for i < count, a few at a time (sessions open faster in parallel, but not all at once). */
async function forEachConnection(count, fn, parallel = 10) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

/** Runs the cleanups in reverse order, all of them even when one fails. */
async function cleanUp(cleanups) {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}

/**
 * A todo-mcp server in a child process, trusting its own bench issuer (so JWKS fetches are counted per
 * server), over a fresh data file holding `todos`; plus per-connection headers: connection i is user
 * `bench-user-i` with its own token and, unless stateless, its own pre-opened session (so the measured
 * requests are all tools/call).
 */
export async function startTodoMcpRow({ todos, stateless, scope, connections }) {
  const cleanups = [];
  try {
    const issuer = await startBenchIssuer();
    cleanups.push(() => issuer.close());
    const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dataFile = join(dir, 'todos.json');
    await writeTodoFile(dataFile, todos);
    const started = performance.now();
    const server = await startChildServer('todo-mcp', { issuer: issuer.issuer, dataFile, stateless });
    cleanups.push(() => server.close());
    const startMs = Math.round(performance.now() - started);
    const headers = await forEachConnection(connections, async (i) => {
      const token = await issuer.sign({ audience: server.resource, sub: `bench-user-${i}`, ...(scope ? { scope } : {}) });
      const auth = { authorization: `Bearer ${token}` };
      return stateless ? auth : { ...auth, 'mcp-session-id': await openSession(server.url, auth) };
    });
    return { server, issuer, startMs, headersFor: (i) => headers[i], close: () => cleanUp(cleanups) };
  } catch (error) {
    await cleanUp(cleanups);
    throw error;
  }
}

/** Same for the bare SDK server (no auth): only sessions to open. */
export async function startBareSdkRow({ stateless, connections }) {
  const server = await startChildServer('bare-sdk', { stateless });
  try {
    const headers = await forEachConnection(connections, async () => (stateless ? {} : { 'mcp-session-id': await openSession(server.url) }));
    return { server, headersFor: (i) => headers[i], close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Plain express: nothing to open. */
export async function startPlainExpressRow() {
  const server = await startChildServer('plain-express', {});
  return { server, headersFor: () => ({}), close: () => server.close() };
}
