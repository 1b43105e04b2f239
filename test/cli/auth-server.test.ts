import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-auth-server-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('todo-mcp auth-server', () => {
  it('runs the development authorization server alone, with the dev banner and working discovery', async () => {
    const proc = await startCli(['auth-server', '--auth-port', '0', '--data', join(dir, 'a', 'todos.json')], /Metadata:\s+(\S+)/);
    try {
      expect(proc.output()).toContain('DEVELOPMENT ONLY');
      const metadata = (await (await fetch(proc.match[1]!)).json()) as { issuer: string; code_challenge_methods_supported: string[] };
      expect(metadata.issuer).toMatch(/^http:\/\/localhost:\d+\/oidc$/);
      expect(metadata.code_challenge_methods_supported).toContain('S256');
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });

  it('a corrupt state file is a start-up error (exit 6) naming the file, with a backup kept', async () => {
    const stateDir = join(dir, 'b', 'dev-auth');
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'keys.json'), '{ not json');
    const r = await runCli(['auth-server', '--auth-port', '0', '--data', join(dir, 'b', 'todos.json')]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(join(stateDir, 'keys.json'));
    expect((await readdir(stateDir)).some((f) => f.startsWith('keys.json.corrupt-'))).toBe(true);
    // A failed start lets go of the state directory's lock.
    await expect(access(`${stateDir}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('one server per dev-auth state directory', () => {
  const READY = /Metadata:\s+(\S+)/;
  const authServer = (data: string) => ['auth-server', '--auth-port', '0', '--data', data];
  const embeddedServe = (data: string) => ['serve', '--port', '0', '--auth-port', '0', '--data', data];
  const lockHolder = async (lock: string) => (JSON.parse(await readFile(lock, 'utf8')) as { pid: number }).pid;
  const gone = (path: string) => expect(access(path)).rejects.toMatchObject({ code: 'ENOENT' });

  it('refuses a second auth-server and an embedded-default serve on the same --data (exit 6, naming the lock); SIGINT releases it', async () => {
    const data = join(dir, 'lock-a', 'todos.json');
    const lock = join(dir, 'lock-a', 'dev-auth.lock');
    const first = await startCli(authServer(data), READY);
    try {
      expect(await lockHolder(lock)).toBe(first.child.pid);

      const second = await runCli(authServer(data));
      expect(second.code).toBe(6);
      expect(second.stderr).toContain(`held by process ${first.child.pid}`);
      expect(second.stderr).toContain(lock);

      // Another todos file in the same directory meets the same lock, and the message says what helps.
      const serve = await runCli(embeddedServe(join(dir, 'lock-a', 'other.json')));
      expect(serve.code).toBe(6);
      expect(serve.stderr).toContain(lock);
      expect(serve.stderr).toContain('give this server a data file in another directory (--data)');
      await gone(join(dir, 'lock-a', 'other.json.lock')); // the todo store's lock, taken first, was let go again

      // The first server was not disturbed.
      expect((await fetch(first.match[1]!)).status).toBe(200);
    } finally {
      expect(await first.stop('SIGINT')).toBe(0);
    }
    await gone(lock);
  });

  it('serve with the embedded default takes the lock for its own dev server and still starts; SIGTERM releases it', async () => {
    const data = join(dir, 'lock-b', 'todos.json');
    const lock = join(dir, 'lock-b', 'dev-auth.lock');
    const serve = await startCli(embeddedServe(data), /MCP endpoint\s+(\S+)/);
    try {
      expect(await lockHolder(lock)).toBe(serve.child.pid);
      const alone = await runCli(authServer(data));
      expect(alone.code).toBe(6);
      expect(alone.stderr).toContain(lock);
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
    await gone(lock);
    await gone(`${data}.lock`);
    const after = await startCli(authServer(data), READY);
    expect(await after.stop()).toBe(0);
  });

  it('takes over the lock of an auth-server killed with SIGKILL', async () => {
    const data = join(dir, 'lock-c', 'todos.json');
    const lock = join(dir, 'lock-c', 'dev-auth.lock');
    const killed = await startCli(authServer(data), READY);
    await killed.stop('SIGKILL');
    expect(await lockHolder(lock)).toBe(killed.child.pid); // left behind, its process gone

    const next = await startCli(authServer(data), READY);
    try {
      expect(await lockHolder(lock)).toBe(next.child.pid);
    } finally {
      expect(await next.stop()).toBe(0);
    }
    await gone(lock);
  });
});
