import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { reportFigures } from './helpers/figures.js';
import { createTraffic, openRawSession, toolText, type RawSession } from './helpers/mcp-http.js';
import { startServerProcess, type ServerProcess } from './helpers/serve-process.js';
import { readStoredTodos, type StoredTodo } from './helpers/stored-files.js';

/**
 * Storage faults through `todo-mcp serve` and the MCP tools: a full disk (a tiny tmpfs), a read-only file
 * system (the tmpfs remounted read-only) and a data file that cannot be replaced (chattr +i). Each time a
 * write fails as a clear tool error, reads keep working, the file keeps its last good content, and writes
 * resume once the fault clears. A corrupt file at start is a clear error naming it, with a backup kept.
 * Root ignores chmod, hence mounts and attributes; the mount cases skip, saying why, where mount is refused.
 */

function works(command: string, args: string[]): boolean {
  const probe = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  try {
    if (command === 'mount') {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
    } else {
      execFileSync('touch', [join(probe, 'f')]);
      execFileSync(command, [...args, join(probe, 'f')], { stdio: 'ignore' });
      execFileSync(command, ['-i', join(probe, 'f')], { stdio: 'ignore' });
    }
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', probe]);
  }
}

const canMount = works('mount', []);
const canChattr = works('chattr', ['+i']);
if (!canMount) process.stdout.write('storage: `mount -t tmpfs` is refused here (not root / no CAP_SYS_ADMIN): disk-full and read-only cases skipped\n');
if (!canChattr) process.stdout.write('storage: `chattr +i` is not supported here: the immutable-file case is skipped\n');

let issuer: TestIssuer;
let dir: string;
const traffic = createTraffic();
let faults = 0;
let lost = 0;
let serverErrors = 0;
const cleanups: Array<() => void | Promise<unknown>> = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-rel-storage-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
  reportFigures('storage', { requestsSent: traffic.requests, concurrentClients: 10, acknowledgedWritesLost: lost, serverErrors, fuzzCasesTried: faults });
});

async function serve(dataFile: string): Promise<{ server: ServerProcess; alice: RawSession }> {
  const server = await startServerProcess({ dataFile, issuer: issuer.issuer });
  cleanups.push(() => server.kill9());
  const token = await issuer.sign({ sub: 'alice', scope: 'create:todos', aud: server.resource });
  return { server, alice: await openRawSession(server.mcpUrl, token, { traffic }) };
}

async function create(session: RawSession, content: string): Promise<{ todo?: StoredTodo; error?: string }> {
  const reply = await session.callTool('create-todo', { content });
  expect(reply.status, reply.messages.length ? JSON.stringify(reply.messages[0]) : 'no body').toBe(200);
  if (reply.result?.isError) return { error: toolText(reply) };
  return { todo: reply.result?.structuredContent?.todo as StoredTodo };
}

async function list(session: RawSession): Promise<string[]> {
  const reply = await session.callTool('get-todos', {});
  expect(reply.result?.isError, toolText(reply)).toBeFalsy();
  return (reply.result?.structuredContent?.todos as StoredTodo[]).map((t) => t.id).sort();
}

/**
 * The common story: three todos, then the fault; writes fail clearly (creates and a delete, ten at once),
 * reads go on, the file is untouched; the fault clears and writes resume; a clean stop keeps everything.
 */
async function underFault(options: { dataFile: string; inject: () => Promise<void> | void; clear: () => Promise<void> | void; reason: RegExp }): Promise<void> {
  const { dataFile } = options;
  const { server, alice } = await serve(dataFile);
  const good: string[] = [];
  for (let i = 0; i < 3; i += 1) good.push((await create(alice, `before the fault ${i}`)).todo!.id);
  good.sort();

  await options.inject();
  faults += 1;
  const attempts = await Promise.all(Array.from({ length: 10 }, (_, i) => create(alice, `during the fault ${i}`)));
  for (const attempt of attempts) {
    expect(attempt.todo).toBeUndefined();
    expect(attempt.error).toContain(`The todo store failed: Could not save todos to ${dataFile}`);
    expect(attempt.error).toMatch(options.reason);
    expect(attempt.error).toContain('The change was not saved');
  }
  const deletion = await alice.callTool('delete-todo', { id: good[0] });
  expect(deletion.result?.isError).toBe(true);
  expect(toolText(deletion)).toMatch(options.reason);

  expect(await list(alice)).toEqual(good);
  expect([...(await readStoredTodos(dataFile)).keys()].sort()).toEqual(good);
  expect(server.alive()).toBe(true);

  await options.clear();
  const after = await create(alice, 'after the fault');
  expect(after.error).toBeUndefined();
  const all = [...good, after.todo!.id].sort();
  expect(await list(alice)).toEqual(all);
  expect([...(await readStoredTodos(dataFile)).keys()].sort()).toEqual(all);

  expect(await server.stop()).toBe(0);
  const final = [...(await readStoredTodos(dataFile)).keys()].sort();
  lost += all.filter((id) => !final.includes(id)).length;
  expect(final).toEqual(all);
  serverErrors += server.serverErrorLines.length;
  expect(server.serverErrorLines).toEqual([]);
}

function mountTmpfs(name: string, size: string): string {
  const target = join(dir, name);
  execFileSync('mkdir', ['-p', target]);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', target]);
  cleanups.push(() => void execFileSync('umount', ['-l', target]));
  return target;
}

describe('storage faults through todo-mcp serve', () => {
  it.skipIf(!canMount)('disk full (a 256 KiB tmpfs filled up): a clear ENOSPC tool error, reads go on, writes resume', async () => {
    const mount = mountTmpfs('full', '256k');
    const filler = join(mount, 'filler');
    await underFault({
      dataFile: join(mount, 'todos.json'),
      async inject() {
        // Write until the file system refuses: then not one more block is free.
        await writeFile(filler, Buffer.alloc(1024 * 1024, 1)).then(
          () => {
            throw new Error('the tmpfs did not fill up');
          },
          (error: NodeJS.ErrnoException) => expect(error.code).toBe('ENOSPC'),
        );
      },
      clear: () => rm(filler),
      reason: /no space left on device \(ENOSPC\)/,
    });
  });

  it.skipIf(!canMount)('read-only file system (tmpfs remounted ro): a clear EROFS tool error, reads go on, writes resume', async () => {
    const mount = mountTmpfs('ro', '1m');
    await underFault({
      dataFile: join(mount, 'todos.json'),
      inject: () => void execFileSync('mount', ['-o', 'remount,ro', mount]),
      clear: () => void execFileSync('mount', ['-o', 'remount,rw', mount]),
      reason: /read-only file system \(EROFS\)/,
    });
  });

  it.skipIf(!canChattr)('a data file that cannot be replaced (chattr +i): a clear EPERM tool error, reads go on, writes resume', async () => {
    const folder = join(dir, 'immutable');
    await mkdir(folder);
    const dataFile = join(folder, 'todos.json');
    cleanups.push(() => void execFileSync('chattr', ['-i', dataFile], { stdio: 'ignore' }));
    await underFault({
      dataFile,
      inject: () => void execFileSync('chattr', ['+i', dataFile]),
      clear: () => void execFileSync('chattr', ['-i', dataFile]),
      reason: /operation not permitted \(EPERM\)/,
    });
  });

  const corruptions: Array<[string, string]> = [
    ['truncated JSON', '{"todos": [{"id": "a", "content": "half'],
    ['not JSON at all', '\u0000\u0001binary garbage\xff'],
    ['JSON of the wrong shape', '{"todos": 42}'],
  ];
  for (const [name, content] of corruptions) {
    it(`a corrupt data file at start (${name}): exit 6 naming the file, the file untouched, a backup kept`, async () => {
      faults += 1;
      const folder = await mkdtemp(join(dir, 'corrupt-'));
      const dataFile = join(folder, 'todos.json');
      await writeFile(dataFile, content);
      const result = await runCli(['serve', '--port', '0', '--issuer', issuer.issuer, '--data', dataFile], { timeoutMs: 30_000 });
      expect(result.code).toBe(6);
      expect(result.stderr).toContain(dataFile);
      expect(result.stderr).toMatch(/is corrupt/);
      expect(result.stderr).not.toMatch(/unexpected error|Please report/);
      const backups = (await readdir(folder)).filter((f) => f.startsWith('todos.json.corrupt-'));
      expect(backups).toHaveLength(1);
      expect(result.stderr).toContain(join(folder, backups[0]!));
      expect(await readFile(join(folder, backups[0]!), 'utf8')).toBe(content);
      expect(await readFile(dataFile, 'utf8')).toBe(content);

      // Once the file is moved away the server starts (empty) and works.
      await rm(dataFile);
      const { server, alice } = await serve(dataFile);
      expect((await create(alice, 'a fresh start')).todo).toBeDefined();
      expect(await server.stop()).toBe(0);
    });
  }

  it('corrupt authorization-server state at start: a clear error naming the file, a backup kept', async () => {
    faults += 1;
    const folder = await mkdtemp(join(dir, 'corrupt-as-'));
    const stateDir = join(folder, 'dev-auth');
    await mkdir(stateDir);
    const statePath = join(stateDir, 'provider-state.json');
    const content = '{"version": 1, "entries": {"Session:abc": {"payload": ';
    await writeFile(statePath, content);
    const result = await runCli(['serve', '--port', '0', '--auth-port', '0', '--data', join(folder, 'todos.json')], { timeoutMs: 30_000 });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(statePath);
    expect(result.stderr).toMatch(/not valid JSON; move it away/);
    expect(result.stderr).not.toMatch(/unexpected error|Please report/);
    const backups = (await readdir(stateDir)).filter((f) => f.startsWith('provider-state.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(stateDir, backups[0]!), 'utf8')).toBe(content);
    expect(await readFile(statePath, 'utf8')).toBe(content);
  });
});
