import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { ConfigError, loadConfigFile } from '../../src/config/config-file.js';
import { resolveServeConfig, type ServeFlags } from '../../src/config/serve-config.js';
import { openTodoRepository } from '../../src/store/open-todo-repository.js';
import { redactConnectionString } from '../../src/store/postgres-connection.js';
import { runCli } from '../helpers/run-cli.js';

const PG = 'postgres://todo:pw-0123456789@db.internal:5432/todos';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-store-option-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function resolveWith(flags: ServeFlags, env: Record<string, string> = {}, file: Record<string, unknown> = {}) {
  return resolveServeConfig({ flags, env, file, cwd: '/work' });
}

describe('--store / TODO_MCP_STORE / config "store"', () => {
  it('takes a postgres:// URL as the store, flag over env over file, and keeps the data file for the rest', () => {
    expect(resolveWith({ store: PG })).toMatchObject({ store: PG, dataFile: '/work/.todo-mcp/todos.json' });
    expect(resolveWith({}, { TODO_MCP_STORE: PG })).toMatchObject({ store: PG });
    expect(resolveWith({}, {}, { store: PG.replace('postgres:', 'postgresql:') }).store).toBe(PG.replace('postgres:', 'postgresql:'));
    expect(resolveWith({ store: PG }, { TODO_MCP_STORE: 'postgres://other/db' }).store).toBe(PG);
    // Absent: the JSON file, as before.
    expect(resolveWith({}).store).toBeUndefined();
  });

  it('takes a file path as the JSON data file, at its own level of precedence', () => {
    expect(resolveWith({ store: 'todos.json' })).toMatchObject({ dataFile: '/work/todos.json' });
    expect(resolveWith({ store: 'todos.json' }).store).toBeUndefined();
    expect(resolveWith({ store: 'a.json', data: 'b.json' }).dataFile).toBe('/work/a.json');
    expect(resolveWith({ data: 'flag.json' }, { TODO_MCP_STORE: 'env.json' }).dataFile).toBe('/work/flag.json');
    // A file path given as a flag beats a PostgreSQL URL from the environment.
    expect(resolveWith({ store: 'mine.json' }, { TODO_MCP_STORE: PG })).toMatchObject({ dataFile: '/work/mine.json' });
    expect(resolveWith({ store: 'mine.json' }, { TODO_MCP_STORE: PG }).store).toBeUndefined();
  });

  it('refuses other URL schemes, without echoing a password', () => {
    const attempt = () => resolveWith({ store: 'mysql://root:hunter2-secret@db/todos' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/--store must be a postgres:\/\/ \(or postgresql:\/\/\) URL or a file path/);
    expect(attempt).toThrow(/mysql:\/\/root:\*\*\*@db\/todos/);
    expect(() => resolveWith({}, { TODO_MCP_STORE: 'https://example.com/todos' })).toThrow(/TODO_MCP_STORE/);
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
