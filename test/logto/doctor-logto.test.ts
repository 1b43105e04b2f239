import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { startManagementApiDouble, type ManagementApiDouble } from './support/management-api-double.js';

/** `doctor`'s optional Logto check, through the real CLI: the tenant compared with what `logto setup` creates. */
let d: ManagementApiDouble;
let cwd: string;
beforeAll(async () => {
  d = await startManagementApiDouble();
  cwd = await mkdtemp(join(tmpdir(), 'todo-mcp-logto-doctor-'));
  const setup = await runCliInProcess(['logto', 'setup', '--endpoint', d.url, '--m2m-id', d.m2m.id], { cwd, env: { LOGTO_M2M_SECRET: d.m2m.secret } });
  expect(setup.code).toBe(0);
});
afterAll(async () => {
  expect(d.violations).toEqual([]);
  await d.close();
  await rm(cwd, { recursive: true, force: true });
});

type Check = { id: string; title: string; status: string; detail: string; fix?: string };

async function doctor(env: Record<string, string | undefined>): Promise<{ code: number | null; checks: Check[] }> {
  // The MCP server is not running here: the chain's own checks fail; only the Logto check matters.
  const result = await runCliInProcess(['doctor', '--json', '--server', 'http://127.0.0.1:9/mcp', '--timeout', '2'], { cwd, env: { TODO_MCP_HOME: cwd, ...env } });
  return { code: result.code, checks: (JSON.parse(result.stdout) as { checks: Check[] }).checks };
}

const withM2m = () => ({ LOGTO_M2M_ID: d.m2m.id, LOGTO_M2M_SECRET: d.m2m.secret });

describe('doctor with LOGTO_M2M_* set', () => {
  it('says the tenant has what todo-mcp needs (endpoint taken from the config\'s issuer)', async () => {
    const { checks } = await doctor(withM2m());
    const logto = checks.filter((c) => c.id === 'logto-tenant');
    expect(logto).toHaveLength(1);
    expect(logto[0]).toMatchObject({ status: 'ok' });
    expect(logto[0]!.detail).toContain(d.url);
  });

  it('lists each difference with the fix, and fails', async () => {
    const user = d.state.roles.find((r) => r.name === 'User')!;
    const link = d.state.rolesScopes.find((x) => x.roleId === user.id)!;
    d.state.rolesScopes.splice(d.state.rolesScopes.indexOf(link), 1);
    try {
      const { code, checks } = await doctor(withM2m());
      const logto = checks.find((c) => c.id === 'logto-tenant')!;
      expect(logto.status).toBe('error');
      expect(logto.detail).toContain('role User: lacks the permission create:todos');
      expect(logto.fix).toContain('todo-mcp logto setup --fix');
      expect(code).not.toBe(0);
    } finally {
      d.state.rolesScopes.push(link);
    }
  });

  it('warns when the config names another client id than the tenant\'s CLI app', async () => {
    const path = join(cwd, 'todo-mcp.config.json');
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace(/"clientId": "[^"]+"/, '"clientId": "another-app"'));
    try {
      const { checks } = await doctor(withM2m());
      expect(checks.find((c) => c.title === 'Logto CLI app')).toMatchObject({ status: 'warning' });
    } finally {
      await writeFile(path, original);
    }
  });

  it('a refused secret is reported as the check\'s error, with how to skip it', async () => {
    const { checks } = await doctor({ ...withM2m(), LOGTO_M2M_SECRET: 'wrong' });
    const logto = checks.find((c) => c.id === 'logto-tenant')!;
    expect(logto.status).toBe('error');
    expect(logto.detail).toMatch(/invalid_client/);
    expect(logto.detail).not.toContain('wrong');
  });

  it('without LOGTO_M2M_* there is no Logto check', async () => {
    const { checks } = await doctor({ LOGTO_M2M_ID: undefined, LOGTO_M2M_SECRET: undefined });
    expect(checks.some((c) => c.id === 'logto-tenant')).toBe(false);
  });
});
