import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { loadConfigFile, type ValueSource } from '../../src/config/config-file.js';
import { resolveServeConfig, type ServeOptionValues } from '../../src/config/serve-config.js';
import { openTodoRepository } from '../../src/store/open-todo-repository.js';
import { redactConnectionString } from '../../src/store/postgres-connection.js';
import { runCli } from '../helpers/run-cli.js';
import { settledOptions } from '../helpers/settled-options.js';

const PG = 'postgres://todo:pw-0123456789@db.internal:5432/todos';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-store-option-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `serve`'s configuration for these flags, environment variables and config file: the real declarations, in-process. */
async function resolveWith(flags: { store?: string; data?: string }, env: Record<string, string> = {}, file: Record<string, unknown> = {}) {
  const cwd = await mkdtemp(join(dir, 'cwd-'));
  await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify(file));
  const argv = ['serve', ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, value])];
  const settled = (await settledOptions(argv, { env, cwd })) as unknown as ServeOptionValues & { sourceOf: (key: 'store' | 'data') => ValueSource };
  return resolveServeConfig({ options: settled, sourceOf: settled.sourceOf, cwd: '/work' });
}

describe('--store / TODO_MCP_STORE / config "store"', () => {
  it('takes a postgres:// URL as the store, flag over env over file, and keeps the data file for the rest', async () => {
    expect(await resolveWith({ store: PG })).toMatchObject({ store: PG, dataFile: '/work/.todo-mcp/todos.json' });
    expect(await resolveWith({}, { TODO_MCP_STORE: PG })).toMatchObject({ store: PG });
    expect((await resolveWith({}, {}, { store: PG.replace('postgres:', 'postgresql:') })).store).toBe(PG.replace('postgres:', 'postgresql:'));
    expect((await resolveWith({ store: PG }, { TODO_MCP_STORE: 'postgres://other/db' })).store).toBe(PG);
    expect((await resolveWith({}, { TODO_MCP_STORE: PG }, { store: 'postgres://file/db' })).store).toBe(PG);
    // Absent: the JSON file, as before.
    expect((await resolveWith({})).store).toBeUndefined();
  });

  it('takes a file path as the JSON data file, at its own level of precedence', async () => {
    expect(await resolveWith({ store: 'todos.json' })).toMatchObject({ dataFile: '/work/todos.json' });
    expect((await resolveWith({ store: 'todos.json' })).store).toBeUndefined();
    expect((await resolveWith({ store: 'a.json', data: 'b.json' })).dataFile).toBe('/work/a.json');
    expect((await resolveWith({ data: 'flag.json' }, { TODO_MCP_STORE: 'env.json' })).dataFile).toBe('/work/flag.json');
    expect((await resolveWith({}, { TODO_MCP_STORE: 'env.json', TODO_MCP_DATA: 'data.json' })).dataFile).toBe('/work/env.json');
    // A file path given as a flag beats a PostgreSQL URL from the environment.
    expect(await resolveWith({ store: 'mine.json' }, { TODO_MCP_STORE: PG })).toMatchObject({ dataFile: '/work/mine.json' });
    expect((await resolveWith({ store: 'mine.json' }, { TODO_MCP_STORE: PG })).store).toBeUndefined();
  });

  it('refuses other URL schemes, without echoing a password', async () => {
    const error = (await resolveWith({ store: 'mysql://root:hunter2-secret@db/todos' }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error).toMatchObject({ code: 'usage' });
    expect(error.message).toMatch(/--store must be a postgres:\/\/ \(or postgresql:\/\/\) URL or a file path/);
    expect(error.message).toMatch(/mysql:\/\/root:\*\*\*@db\/todos/);
    expect(error.message).not.toContain('hunter2-secret');
    await expect(resolveWith({}, { TODO_MCP_STORE: 'https://example.com/todos' })).rejects.toThrow(/TODO_MCP_STORE/);
    await expect(resolveWith({}, {}, { store: 'redis://u:pw-secret@h/0' })).rejects.toThrow(/redis:\/\/u:\*\*\*@h\/0/);
  });

  it('reads "store" from the config file; a relative file path is relative to the file', async () => {
    const config = join(dir, 'todo-mcp.config.json');
    await writeFile(config, JSON.stringify({ store: 'data/todos.json' }));
    expect((await loadConfigFile({ path: config, cwd: '/' })).config.store).toBe(join(dir, 'data/todos.json'));
    await writeFile(config, JSON.stringify({ store: PG }));
    expect((await loadConfigFile({ path: config, cwd: '/' })).config.store).toBe(PG);
  });

  it('masks passwords in connection strings shown to people', () => {
    expect(redactConnectionString(PG)).toBe('postgres://todo:***@db.internal:5432/todos');
    expect(redactConnectionString('postgres://db/todos?user=u&password=pw-9876543210&sslmode=require')).toBe('postgres://db/todos?user=u&password=***&sslmode=require');
    expect(redactConnectionString('postgres://u:p%40ss%2Fword@db/x')).toBe('postgres://u:***@db/x');
    expect(redactConnectionString('postgres://u@db/x')).toBe('postgres://u@db/x');
  });
});

describe('openTodoRepository', () => {
  it('opens the JSON store for no store and for a file path, and refuses other schemes', async () => {
    const byDefault = await openTodoRepository({ dataFile: join(dir, 'default.json') });
    expect(byDefault).toMatchObject({ kind: 'json', location: join(dir, 'default.json') });
    await byDefault.todos.close();
    const byPath = await openTodoRepository({ store: join(dir, 'other.json'), dataFile: join(dir, 'unused.json') });
    expect(byPath).toMatchObject({ kind: 'json', location: join(dir, 'other.json') });
    await byPath.todos.close();
    await expect(openTodoRepository({ store: 'redis://u:secret-pass@h/0', dataFile: join(dir, 'x.json') })).rejects.toThrow(/redis:\/\/u:\*\*\*@h\/0/);
  });
});

describe('todo-mcp serve --store', { timeout: 30_000 }, () => {
  it('an unsupported scheme is a usage error (exit 2) naming the option', async () => {
    const result = await runCli(['serve', '--port', '0', '--store', 'mysql://root:hunter2-secret@db/todos', '--issuer', 'http://127.0.0.1:1/oidc']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--store must be a postgres://');
    expect(result.stderr + result.stdout).not.toContain('hunter2-secret');
  });

  it('an unreachable PostgreSQL is a start-up failure that names the server without its password', async () => {
    const result = await runCli(['serve', '--port', '0', '--store', 'postgres://todo:hunter2-secret@127.0.0.1:1/todos', '--issuer', 'http://127.0.0.1:1/oidc']);
    expect(result.code).toBe(EXIT.startFailed);
    expect(result.stderr).toContain('postgres://todo:***@127.0.0.1:1/todos');
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr + result.stdout).not.toContain('hunter2-secret');
  });
});
