import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeTodos, SEED_COUNT, TOOL_REQUESTS } from '../lib/fixtures.mjs';
import { startBenchIssuer } from '../lib/issuer.mjs';
import { failures, runRows } from '../lib/run-rows.mjs';
import { markdownTable } from '../lib/table.mjs';
import { cpuMs, peakRssKb, postgresPids } from '../lib/process-cpu.mjs';
import { POSTGRES, startPostgresCluster } from '../../test/helpers/postgres-cluster.mjs';

const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));
const PROXY = new URL('../../test/scale/round-robin-proxy.mjs', import.meta.url).href;
// Every replica serves the same resource (tokens carry it as their audience); the Host the load sends is
// a loopback address, which the replicas accept whatever the resource's host.
const RESOURCE = 'http://localhost:3001';
const READY = /MCP endpoint\s+http:\/\/localhost:(\d+)\/mcp/;
const TOOLS = ['get-todos', 'create-todo'];
/** The set-ups measured: one replica without and with the proxy (the proxy's own cost), then three. */
const SETUPS = [
  { id: 'pg-1', replicas: 1, viaProxy: false },
  { id: 'pg-1p', replicas: 1, viaProxy: true },
  { id: 'pg-3p', replicas: 3, viaProxy: true },
];

/** A child process whose output must match `ready`; killed when the bench exits, whatever way it does. */
function startProcess(args, ready, label) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk) => {
      // Request lines are not kept: only the start-up output matters, and a long run prints a lot.
      if (output.length < 64 * 1024) output += chunk;
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({
        pid: child.pid,
        match,
        async stop() {
          process.off('exit', killOnExit);
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      if (output.length < 64 * 1024) output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function startReplica(storeUrl, issuer) {
  return startProcess([BIN, 'serve', '--stateless', '--store', storeUrl, '--port', '0', '--issuer', issuer, '--resource', RESOURCE], READY, 'todo-mcp serve');
}

function startProxy(backends) {
  const code = `import { startRoundRobinProxy, mcpRetrySafe } from ${JSON.stringify(PROXY)};
const proxy = await startRoundRobinProxy({ retrySafe: mcpRetrySafe(['get-todos']) });
proxy.setBackends(${JSON.stringify(backends)});
process.stdout.write('PROXY ' + proxy.port + '\\n');
process.on('SIGTERM', () => proxy.close().then(() => process.exit(0)));`;
  return startProcess(['--input-type=module', '-e', code], /PROXY (\d+)/, 'round-robin proxy');
}

/**
 * A row's set-up: a fresh database in the section's cluster, `replicas` × `todo-mcp serve --stateless
 * --store postgres://…` (the CLI, as deployed), optionally the proxy in its own process, the same seed
 * todos as the JSON rows, and connection i as `bench-user-i` with its own token. `stats()` sums the
 * replicas (comparable with row c); the proxy's and PostgreSQL's CPU are reported beside it.
 */
async function startPostgresRow({ cluster, postmaster, replicas, viaProxy, connections }) {
  const cleanups = [];
  const cleanUp = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    const issuer = await startBenchIssuer();
    cleanups.push(() => issuer.close());
    const storeUrl = await cluster.createDatabase();
    const database = new URL(storeUrl).pathname.slice(1);
    const started = performance.now();
    const servers = await Promise.all(Array.from({ length: replicas }, () => startReplica(storeUrl, issuer.issuer)));
    for (const server of servers) cleanups.push(() => server.stop());
    const startMs = Math.round(performance.now() - started);
    for (const todo of makeTodos(SEED_COUNT)) {
      await cluster.query('INSERT INTO todos (id, owner_id, content, created_at) VALUES ($1, $2, $3, $4)', [todo.id, todo.ownerId, todo.content, todo.createdAt], database);
    }
    const backends = servers.map((server) => `http://127.0.0.1:${server.match[1]}`);
    const proxy = viaProxy ? await startProxy(backends) : undefined;
    if (proxy) cleanups.push(() => proxy.stop());
    const url = proxy ? `http://127.0.0.1:${proxy.match[1]}/mcp` : `${backends[0]}/mcp`;
    const tokens = await Promise.all(Array.from({ length: connections }, (_, i) => issuer.sign({ audience: RESOURCE, sub: `bench-user-${i}` })));

    // measureRow reads stats() just before and just after the measured run: keep the side costs of both.
    const snapshots = [];
    const sum = async (pids, read) => (await Promise.all(pids.map(read))).reduce((a, b) => a + b, 0);
    const server = {
      url,
      async stats() {
        const pgPids = await postgresPids(postmaster);
        snapshots.push({ proxyMs: proxy ? await cpuMs(proxy.pid) : 0, postgresMs: await sum(pgPids, cpuMs) });
        return { cpuUserMs: await sum(servers.map((s) => s.pid), cpuMs), cpuSystemMs: 0, maxRssKb: await sum(servers.map((s) => s.pid), peakRssKb) };
      },
      // The replicas are CLI processes without a profiling hook: profile them with --cpu-prof by hand.
      profileStart: async () => undefined,
      profileStop: async () => undefined,
    };
    return { server, issuer, startMs, snapshots, headersFor: (i) => ({ authorization: `Bearer ${tokens[i]}` }), close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function rowSpecs({ cluster, postmaster, timing }) {
  return SETUPS.flatMap((setup) =>
    TOOLS.map((tool) => ({
      row: { id: `${setup.id}-${tool}`, server: 'todo-mcp', store: 'PostgreSQL', replicas: setup.replicas, via: setup.viaProxy ? 'proxy' : 'direct', mode: 'stateless', tool },
      body: TOOL_REQUESTS[tool],
      start: () => startPostgresRow({ cluster, postmaster, replicas: setup.replicas, viaProxy: setup.viaProxy, connections: timing.connections }),
      extra: (s) => {
        const [before, after] = s.snapshots.slice(-2);
        return { startMs: s.startMs, jwksFetches: s.issuer.jwksFetches, sideCpuMs: before && after ? { proxy: after.proxyMs - before.proxyMs, postgres: after.postgresMs - before.postgresMs } : undefined };
      },
    })),
  );
}

/**
 * The PostgreSQL rows: todo-mcp with `--store postgres://…`, one replica and three behind a round-robin
 * proxy, with the client settings of the throughput section (stateless, so any replica answers any
 * request). PostgreSQL runs with fsync on, like the JSON store's durable writes. Skipped, with the reason
 * logged, where PostgreSQL is not installed.
 */
export async function runPostgres({ timing, log, overlap, only, repeat, cpuProfDir }) {
  if (!POSTGRES.available) {
    log(`postgres: skipped (${POSTGRES.reason})`);
    return { skipped: POSTGRES.reason, rows: [] };
  }
  log(`postgres (${timing.connections} connections):`);
  const cluster = await startPostgresCluster({ fsync: true });
  try {
    const postmaster = await cluster.postmasterPid();
    const rows = await runRows(rowSpecs({ cluster, postmaster, timing }), { timing, log, overlap, only, repeat, cpuProfDir });
    for (const row of rows) {
      row.proxyCpuUsPerReq = row.sideCpuMs && row.via === 'proxy' && row.requests > 0 ? Math.round((row.sideCpuMs.proxy * 1000) / row.requests) : null;
      row.postgresCpuUsPerReq = row.sideCpuMs && row.requests > 0 ? Math.round((row.sideCpuMs.postgres * 1000) / row.requests) : null;
      row.failed = failures(row);
    }
    return { rows };
  } finally {
    await cluster.stop();
  }
}

/** req/s, with the spread of the runs when the row was repeated. */
const rate = (r) => (r.runs ? `${r.reqPerSec} (${Math.min(...r.runs)}–${Math.max(...r.runs)})` : r.reqPerSec);

export function postgresTable(result) {
  if (result.skipped) return `Skipped: ${result.skipped}.`;
  return markdownTable(
    ['row', 'replicas', 'via', 'tool', 'req/s', 'p50 ms', 'p99 ms', 'err/non2xx/bad', 'CPU µs/req (replicas)', 'proxy µs/req', 'PostgreSQL µs/req', 'peak RSS MiB (replicas)'],
    result.rows.map((r) => [
      r.id.replace(/-(get|create)-todos?$/, ''),
      r.replicas,
      r.via,
      r.tool,
      rate(r),
      r.p50Ms,
      r.p99Ms,
      `${r.errors + r.timeouts}/${r.non2xx}/${r.mismatches}`,
      r.cpuUsPerReq,
      r.proxyCpuUsPerReq,
      r.postgresCpuUsPerReq,
      r.maxRssMb,
    ]),
  );
}
