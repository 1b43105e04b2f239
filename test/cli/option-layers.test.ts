import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/defaults.js';
import { settledOptions } from '../helpers/settled-options.js';

/*
 * Each layer of flag > environment > config file > default, for `serve` (the client side is in
 * client-settings.test.ts), through the real declarations in-process.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-layers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withConfig(config: Record<string, unknown>): Promise<string> {
  const cwd = await mkdtemp(join(dir, 'cwd-'));
  await writeFile(join(cwd, 'todo-mcp.config.json'), JSON.stringify(config));
  return cwd;
}

const serve = (args: string[], env: Record<string, string> = {}, cwd = dir) => settledOptions(['serve', ...args], { env, cwd });

describe('serve options, layer by layer', () => {
  it('port: default, then config file, then environment, then flag', async () => {
    const cwd = await withConfig({ port: 4100 });
    expect((await serve([])).port).toBe(DEFAULTS.port);
    expect((await serve([], {}, cwd)).port).toBe(4100);
    expect((await serve([], { TODO_MCP_PORT: '4200' }, cwd)).port).toBe(4200);
    expect((await serve(['--port', '4300'], { TODO_MCP_PORT: '4200' }, cwd)).port).toBe(4300);
  });

  it('an explicit --config replaces the default file, and TODO_MCP_CONFIG names one too', async () => {
    const named = join(await withConfig({}), 'elsewhere.json');
    await writeFile(named, JSON.stringify({ host: '0.0.0.0' }));
    expect((await serve(['--config', named])).host).toBe('0.0.0.0');
    expect((await serve([], { TODO_MCP_CONFIG: named })).host).toBe('0.0.0.0');
    await expect(serve(['--config', join(dir, 'missing.json')])).rejects.toMatchObject({ code: 'config_unreadable' });
  });

  it('stateless: off by default; on from the flag, the variable or the file; the variable can say off', async () => {
    expect((await serve([])).stateless).toBe(false);
    expect((await serve(['--stateless'])).stateless).toBe(true);
    expect((await serve([], { TODO_MCP_STATELESS: '1' })).stateless).toBe(true);
    expect((await serve([], { TODO_MCP_STATELESS: 'off' }, await withConfig({ stateless: true }))).stateless).toBe(false);
    expect((await serve([], {}, await withConfig({ stateless: true }))).stateless).toBe(true);
    await expect(serve([], { TODO_MCP_STATELESS: 'perhaps' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('pg-pool: default, then config file, then environment, then flag; a whole number from 1 to the maximum', async () => {
    const cwd = await withConfig({ pgPool: 20 });
    expect((await serve([])).pgPool).toBe(DEFAULTS.pgPoolSize);
    expect((await serve([], {}, cwd)).pgPool).toBe(20);
    expect((await serve([], { TODO_MCP_PG_POOL: '30' }, cwd)).pgPool).toBe(30);
    expect((await serve(['--pg-pool', '40'], { TODO_MCP_PG_POOL: '30' }, cwd)).pgPool).toBe(40);
    expect((await serve(['--pg-pool', String(DEFAULTS.pgPoolSizeMax)])).pgPool).toBe(DEFAULTS.pgPoolSizeMax);
    for (const bad of ['0', '-1', '2.5', 'ten', '', String(DEFAULTS.pgPoolSizeMax + 1)]) {
      await expect(serve(['--pg-pool', bad])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    }
    await expect(serve([], { TODO_MCP_PG_POOL: '0' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(serve([], {}, await withConfig({ pgPool: 0 }))).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(serve([], {}, await withConfig({ pgPool: '5' }))).rejects.toMatchObject({ code: 'config_invalid' });
  });

  it('allowed origins: repeatable flags, or a comma-separated variable, or the file; each must be a URL', async () => {
    expect((await serve([])).allowedOrigin).toEqual([]);
    expect((await serve(['--allowed-origin', 'https://a.example', '--allowed-origin', 'https://b.example'])).allowedOrigin).toEqual(['https://a.example', 'https://b.example']);
    expect((await serve([], { TODO_MCP_ALLOWED_ORIGINS: 'https://a.example, https://b.example' })).allowedOrigin).toEqual(['https://a.example', 'https://b.example']);
    expect((await serve([], {}, await withConfig({ allowedOrigins: ['https://c.example'] }))).allowedOrigin).toEqual(['https://c.example']);
    await expect(serve([], {}, await withConfig({ allowedOrigins: ['ftp://c.example'] }))).rejects.toMatchObject({ code: 'config_invalid' });
  });

  it('malformed numbers are usage errors wherever they come from', async () => {
    await expect(serve(['--port', 'abc'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(serve([], { TODO_MCP_AUTH_PORT: '70000' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(serve([], {}, await withConfig({ port: 'abc' }))).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(settledOptions(['doctor', '--timeout', '0'], { cwd: dir })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(settledOptions(['init', '--port', '0'], { cwd: dir })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('doctor compares the resource from --resource, TODO_MCP_RESOURCE or the file', async () => {
    const cwd = await withConfig({ resource: 'http://localhost:4100' });
    expect((await settledOptions(['doctor'], { cwd: dir })).resource).toBeUndefined();
    expect((await settledOptions(['doctor'], { cwd })).resource).toBe('http://localhost:4100');
    expect((await settledOptions(['doctor'], { cwd, env: { TODO_MCP_RESOURCE: 'http://localhost:4200' } })).resource).toBe('http://localhost:4200');
  });
});
