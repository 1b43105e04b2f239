// Throwaway PostgreSQL clusters for tests and the bench (plain JavaScript so that `bench/` can use it
// without a build step; types in postgres-cluster.d.mts): `initdb` in a temp dir, the server on 127.0.0.1
// and an ephemeral port (its Unix socket in the same temp dir), stopped with `pg_ctl -m immediate` and
// deleted. The server refuses to run as root, so as root every command runs as the `postgres` user.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

function binDirs() {
  const dirs = [];
  if (process.env.TODO_MCP_TEST_PG_BINDIR) dirs.push(process.env.TODO_MCP_TEST_PG_BINDIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) dirs.push(dir);
  return dirs;
}

function findAvailability() {
  if (process.env.TODO_MCP_TEST_PG_BINDIR === 'none') return { available: false, reason: 'TODO_MCP_TEST_PG_BINDIR=none' };
  const binDir = binDirs().find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!binDir) return { available: false, reason: 'PostgreSQL server binaries (initdb, pg_ctl) not found; install the Debian package postgresql' };
  if (process.getuid?.() !== 0) return { available: true, binDir, runAs: undefined };
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return { available: false, reason: 'running as root and there is no postgres user to run the server as' };
  }
  if (!['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].some((path) => existsSync(path))) {
    return { available: false, reason: 'running as root and runuser is missing' };
  }
  return { available: true, binDir, runAs: 'postgres' };
}

/** Whether this machine can run a cluster, and if not why (for `describe.skipIf` and its title). */
export const POSTGRES = findAvailability();

function run(availability, tool, args, timeoutMs) {
  const command = join(availability.binDir, tool);
  const [file, argv] = availability.runAs ? ['runuser', ['-u', availability.runAs, '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a fresh cluster; throws when PostgreSQL is not available (check POSTGRES first). */
export async function startPostgresCluster(options = {}) {
  if (!POSTGRES.available) throw new Error(`PostgreSQL is not available: ${POSTGRES.reason}`);
  const availability = POSTGRES;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (availability.runAs) {
    const id = (flag) => Number(execFileSync('id', [flag, availability.runAs]).toString().trim());
    await chown(dir, id('-u'), id('-g'));
  }
  const stopArgs = ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop'];
  const stopNow = () => {
    const command = join(availability.binDir, 'pg_ctl');
    if (availability.runAs) spawnSync('runuser', ['-u', availability.runAs, '--', command, ...stopArgs], { stdio: 'ignore', timeout: 25_000 });
    else spawnSync(command, stopArgs, { stdio: 'ignore', timeout: 25_000 });
  };
  // A process that exits without stopping the cluster (a crash, a timeout) must not leave a server behind.
  process.once('exit', stopNow);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopNow);
    if (existsSync(join(data, 'postmaster.pid'))) await run(availability, 'pg_ctl', stopArgs, 30_000).catch(() => stopNow());
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await run(availability, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], timeoutMs);
    const settings = [`-k ${dir}`, '-h 127.0.0.1', `-c max_connections=${options.maxConnections ?? 200}`, `-c fsync=${options.fsync ? 'on' : 'off'}`];
    let port = 0;
    // The port is free when picked but could be taken before the server binds it: try a few.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      try {
        const startArgs = ['-D', data, '-l', logFile, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), '-o', [`-p ${port}`, ...settings].join(' '), 'start'];
        await run(availability, 'pg_ctl', startArgs, timeoutMs + 5_000);
        break;
      } catch (error) {
        if (attempt >= 3) throw new Error(`${error.message}\n${await readFile(logFile, 'utf8').catch(() => '')}`);
      }
    }
    const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
    let databases = 0;
    const query = async (sql, values = [], database = 'postgres') => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(sql, values)).rows;
      } finally {
        await client.end();
      }
    };
    return {
      port,
      dir,
      url,
      async createDatabase(name) {
        databases += 1;
        const database = name ?? `test_${process.pid}_${databases}`;
        await query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
        return url(database);
      },
      query,
      async postmasterPid() {
        return Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      },
      log: () => readFile(logFile, 'utf8').catch(() => ''),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
