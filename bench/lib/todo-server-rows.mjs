import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './child-server.mjs';
import { startServeProcess } from './serve-process.mjs';
import { writeTodoFile } from './fixtures.mjs';
import { startBenchIssuer } from './issuer.mjs';
import { postgresCpuMs } from './process-cpu.mjs';
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

/** Rows of todos written into a fresh PostgreSQL database, in batches (one statement each). */
async function seedPostgres(cluster, database, todos) {
  for (let i = 0; i < todos.length; i += 1_000) {
    const batch = todos.slice(i, i + 1_000);
    const values = batch.map((_, j) => `($${j * 4 + 1}, $${j * 4 + 2}, $${j * 4 + 3}, $${j * 4 + 4})`).join(', ');
    await cluster.query(`INSERT INTO todos (id, owner_id, content, created_at) VALUES ${values}`, batch.flatMap((t) => [t.id, t.ownerId, t.content, t.createdAt]), database);
  }
}

/**
 * Row (c): `todo-mcp serve` as a user runs it (see serve-process.mjs), trusting its own bench issuer (so
 * JWKS fetches are counted per server), over a fresh data file holding `todos`, or a fresh PostgreSQL
 * database in `postgres` (a cluster) holding them; the request log on (`info`, the default) unless
 * `logLevel` says otherwise. Connection i is user `bench-user-i` with its own token and, unless stateless,
 * its own pre-opened session (so the measured requests are all tools/call).
 */
export async function startTodoMcpRow({ todos, stateless, scope, connections, logLevel, postgres, serveArgs = [], wrap }) {
  const cleanups = [];
  try {
    const issuer = await startBenchIssuer();
    cleanups.push(() => issuer.close());
    const args = ['--issuer', issuer.issuer, ...(stateless ? ['--stateless'] : []), ...(logLevel ? ['--log-level', logLevel] : []), ...serveArgs];
    // PostgreSQL: the server creates the schema at start-up, so the todos go in once it is up (before any load).
    let database;
    if (postgres) {
      const storeUrl = await postgres.createDatabase();
      args.push('--store', storeUrl);
      database = new URL(storeUrl).pathname.slice(1);
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const dataFile = join(dir, 'todos.json');
      await writeTodoFile(dataFile, todos);
      args.push('--data', dataFile);
    }
    const started = performance.now();
    const serve = await startServeProcess(args, { wrap });
    cleanups.push(() => serve.close());
    // Through PostgreSQL, part of each request's work happens in the database's backends: stats() says how much.
    const postmaster = postgres ? await postgres.postmasterPid() : undefined;
    const server = postmaster === undefined ? serve : Object.create(serve, { stats: { value: async () => ({ ...(await serve.stats()), postgresCpuMs: await postgresCpuMs(postmaster) }) } });
    const startMs = Math.round(performance.now() - started);
    if (database) await seedPostgres(postgres, database, todos);
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
export async function startBareSdkRow({ stateless, connections, wrap }) {
  const server = await startChildServer('bare-sdk', { stateless }, { wrap });
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
