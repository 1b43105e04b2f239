import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, SCOPE_DESCRIPTIONS } from '../../src/policy/scopes.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { runCli } from '../helpers/run-cli.js';
import { startManagementApiDouble, type ManagementApiDouble } from './support/management-api-double.js';

/** `logto setup` as a user runs it: the built CLI in its own process, against the Management API double. */

const dirs: string[] = [];
const doubles: ManagementApiDouble[] = [];
afterEach(() => {
  // A request the real Management API would refuse as malformed fails the test that sent it.
  // Taken out, so one test's bad request is reported once, by that test.
  expect(doubles.flatMap((d) => d.violations.splice(0))).toEqual([]);
});
afterAll(async () => {
  await Promise.all(doubles.map((d) => d.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-logto-'));
  dirs.push(dir);
  return dir;
}

async function tenant(): Promise<ManagementApiDouble> {
  const d = await startManagementApiDouble();
  doubles.push(d);
  return d;
}

/** `todo-mcp logto setup` in-process, or with `spawn` the binary as a user runs it. */
function setup(d: ManagementApiDouble, cwd: string, args: string[] = [], secret = d.m2m.secret, id = d.m2m.id, spawn = false) {
  return (spawn ? runCli : runCliInProcess)(['logto', 'setup', '--endpoint', d.url, '--m2m-id', id, ...args], { cwd, env: { LOGTO_M2M_SECRET: secret, LOGTO_ENDPOINT: undefined, LOGTO_M2M_ID: undefined }, timeoutMs: 30_000 });
}

/** A report line: two spaces, the outcome, the kind, the name. */
const OUTCOME_LINE = /^ {2}(created|already right|fixed|would create|would fix|differs|conflict) /;

const writes = (d: ManagementApiDouble) => d.requests.filter((r) => /^(POST|PATCH|PUT|DELETE) \/api\//.test(r));

describe('todo-mcp logto setup (the CLI, Management API double)', () => {
  let d: ManagementApiDouble;
  let cwd: string;
  let first: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    d = await tenant();
    cwd = await tempDir();
    // The binary, as a user runs it (the wiring of `logto setup`); the rest of this file runs the CLI in-process.
    first = await setup(d, cwd, ['--demo-users', '--json'], d.m2m.secret, d.m2m.id, true);
  }, 60_000);

  it('provisions an empty tenant: resource, permissions, roles, default role, Native apps, demo users', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.ok).toBe(true);
    expect(report.objects.map((o: { outcome: string }) => o.outcome)).toEqual(Array(12).fill('created'));

    const resource = d.state.resources.find((r) => r.indicator === 'http://localhost:3001')!;
    expect(resource.name).toBe('Todo Manager');
    const scopes = d.state.scopes.filter((s) => s.resourceId === resource.id);
    expect(scopes.map((s) => [s.name, s.description])).toEqual(ALL_SCOPES.map((s) => [s, SCOPE_DESCRIPTIONS[s]]));
    const roleScopes = (name: string) => {
      const role = d.state.roles.find((r) => r.name === name)!;
      return { isDefault: role.isDefault, type: role.type, scopes: d.state.rolesScopes.filter((x) => x.roleId === role.id).map((x) => d.state.scope(x.scopeId).name).sort() };
    };
    expect(roleScopes('Admin')).toEqual({ isDefault: false, type: 'User', scopes: [...ALL_SCOPES].sort() });
    expect(roleScopes('User')).toEqual({ isDefault: true, type: 'User', scopes: ['create:todos'] });

    const app = (name: string) => d.state.applications.find((a) => a.name === name)!;
    expect(app('todo-mcp CLI').type).toBe('Native');
    expect(app('todo-mcp CLI').oidcClientMetadata.redirectUris).toEqual(['http://127.0.0.1/callback']);
    expect(app('todo-mcp Inspector').oidcClientMetadata.redirectUris).toEqual(['http://127.0.0.1:6274/oauth/callback']);
    expect(report.clientIds).toEqual({ cli: app('todo-mcp CLI').id, inspector: app('todo-mcp Inspector').id });

    const rolesOf = (username: string) => {
      const user = d.state.users.find((u) => u.username === username)!;
      return d.state.usersRoles.filter((x) => x.userId === user.id).map((x) => d.state.role(x.roleId).name).sort();
    };
    expect(rolesOf('admin')).toEqual(['Admin', 'User']);
    expect(rolesOf('alice')).toEqual(['User']);
    // The printed password is the one the user was created with.
    const alice = report.objects.find((o: { name: string }) => o.name === 'alice');
    expect(alice.password).toBe(d.state.users.find((u) => u.username === 'alice')!.password);
    expect(alice.password.length).toBeGreaterThanOrEqual(20);
  });

  it('writes todo-mcp.config.json exactly as `init --provider logto` does with the same values', async () => {
    const clientId = JSON.parse(first.stdout).clientIds.cli as string;
    const initDir = await tempDir();
    const init = await runCliInProcess(['init', '--provider', 'logto', '--issuer', `${d.url}/oidc`, '--client-id', clientId], { cwd: initDir });
    expect(init.code).toBe(0);
    for (const file of ['todo-mcp.config.json', '.env.example']) {
      expect(await readFile(join(cwd, file), 'utf8')).toBe(await readFile(join(initDir, file), 'utf8'));
    }
    expect(JSON.parse(await readFile(join(cwd, 'todo-mcp.config.json'), 'utf8'))).toMatchObject({ issuer: `${d.url}/oidc`, resource: 'http://localhost:3001', clientId });
  });

  it('a second run changes nothing and says every object is already right', async () => {
    const before = writes(d).length;
    const second = await setup(d, cwd, ['--demo-users']);
    expect(second.code).toBe(0);
    const objectLines = second.stdout.split('\n').filter((l) => OUTCOME_LINE.test(l));
    expect(objectLines).toHaveLength(12);
    for (const line of objectLines) expect(line).toMatch(/^ {2}already right /);
    expect(second.stdout).not.toMatch(/password/);
    expect(writes(d).length).toBe(before);
    expect(d.state.resources.filter((r) => r.indicator === 'http://localhost:3001')).toHaveLength(1);
    expect(second.stdout).toContain('todo-mcp login --switch-user');
    expect(second.stdout).toContain(`Client ID ${d.state.applications.find((a) => a.name === 'todo-mcp Inspector')!.id}`);
  });
});

describe('logto setup refusals and dry run (real CLI process)', () => {
  it('--dry-run on an empty tenant prints the plan and touches nothing (tenant and files)', async () => {
    const d = await tenant();
    const cwd = await tempDir();
    const before = JSON.stringify(d.state);
    const result = await setup(d, cwd, ['--dry-run', '--demo-users']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run, nothing changed');
    expect(result.stdout.split('\n').filter((l) => /^ {2}would create/.test(l))).toHaveLength(12);
    expect(writes(d)).toEqual([]);
    expect(JSON.stringify(d.state)).toBe(before);
    await expect(stat(join(cwd, 'todo-mcp.config.json'))).rejects.toThrow();
  });

  it('an M2M app without the Management API role: exit 4, says which role to assign', async () => {
    const d = await tenant();
    const result = await setup(d, await tempDir(), ['--json'], d.m2mWithoutRole.secret, d.m2mWithoutRole.id);
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'logto_forbidden' } });
    expect(result.stderr).toMatch(/auth\.forbidden/);
    expect(result.stderr).toMatch(/Logto Management API access/);
    expect(writes(d)).toEqual([]);
  });

  it('a wrong secret: exit 3, names LOGTO_M2M_SECRET, never prints the secret', async () => {
    const d = await tenant();
    const result = await setup(d, await tempDir(), [], 'not-the-secret-0123456789');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/invalid_client/);
    expect(result.stderr).toMatch(/LOGTO_M2M_SECRET/);
    expect(result.stdout + result.stderr).not.toContain('not-the-secret-0123456789');
  });

  it("an app of another tenant (self-hosted Logto's seeded m-default): exit 3, says the app must belong to the tenant at --endpoint", async () => {
    const d = await tenant();
    const result = await setup(d, await tempDir(), [], 'm-default-secret-0123456789', 'm-default');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--m2m-id \(m-default\)/);
    expect(result.stderr).toMatch(/must belong to the tenant at --endpoint \(the default tenant: create it in the Console\)/);
    expect(writes(d)).toEqual([]);
  });

  it('a wrong --management-resource: exit 2, says where to find the right one', async () => {
    const d = await tenant();
    const result = await setup(d, await tempDir(), ['--management-resource', 'https://other.logto.app/api']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid_target/);
    expect(result.stderr).toMatch(/--management-resource/);
  });

  it('an unreachable endpoint: exit 5', async () => {
    const d = await tenant();
    const url = d.url;
    await d.close();
    const result = await runCliInProcess(['logto', 'setup', '--endpoint', url, '--m2m-id', 'x'], { cwd: await tempDir(), env: { LOGTO_M2M_SECRET: 's' } });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Cannot reach Logto/);
  });

  it('an endpoint where no Logto answers: exit 2, explains what --endpoint is', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end('nothing here'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const result = await runCliInProcess(['logto', 'setup', '--endpoint', `http://127.0.0.1:${port}`, '--m2m-id', 'x'], { cwd: await tempDir(), env: { LOGTO_M2M_SECRET: 's' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/No Logto tenant answers at/);
      expect(result.stderr).toMatch(/https:\/\/<tenant-id>\.logto\.app/);
    } finally {
      server.close();
    }
  });

  it('no secret and no terminal: exit 2, asks for LOGTO_M2M_SECRET (there is no flag for it)', async () => {
    // Spawned: its stdin is a pipe, not a terminal, which is the point.
    const result = await runCli(['logto', 'setup', '--endpoint', 'http://127.0.0.1:9', '--m2m-id', 'x'], { cwd: await tempDir(), env: { LOGTO_M2M_SECRET: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LOGTO_M2M_SECRET/);
  });

  it('an endpoint ending in /oidc: exit 2 with the address to use instead', async () => {
    const result = await runCliInProcess(['logto', 'setup', '--endpoint', 'https://abc.logto.app/oidc', '--m2m-id', 'x'], { env: { LOGTO_M2M_SECRET: 's' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did you mean https://abc.logto.app?');
  });
});
