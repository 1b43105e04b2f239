import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT_FOR_CODE } from '../../src/cli/cli-error.js';
import { isTodoMcpError } from '../../src/errors/todo-mcp-error.js';
import type { CliContext } from '../../src/cli/context.js';
import { logtoSetupCommand, type LogtoSetupFlags } from '../../src/cli/logto-setup.js';
import { settledOptions } from '../helpers/settled-options.js';
import { startManagementApiDouble, type ManagementApiDouble } from './support/management-api-double.js';
import type { Limits } from './support/tenant-state.js';

/** Partial, drifted and limited tenants: the command in-process (faster), the double over real HTTP. */

const dirs: string[] = [];
const doubles: ManagementApiDouble[] = [];
afterEach(() => {
  // Taken out, so one test's bad request is reported once, by that test.
  expect(doubles.flatMap((d) => d.violations.splice(0))).toEqual([]);
});
afterAll(async () => {
  await Promise.all(doubles.map((d) => d.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tenant(limits?: Limits): Promise<ManagementApiDouble> {
  const d = await startManagementApiDouble({ limits });
  doubles.push(d);
  return d;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json?: { objects: Array<{ kind: string; name: string; outcome: string; differences: string[]; notes: string[] }> };
}

async function setup(d: ManagementApiDouble, cwd: string, args: string[] = []): Promise<Run> {
  // The real declarations settle the options (defaults included); the command then runs in-process.
  const flags = (await settledOptions(['logto', 'setup', '--endpoint', d.url, '--m2m-id', d.m2m.id, '--json', ...args], { cwd })) as unknown as LogtoSetupFlags;
  let stdout = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, cb) => (append(String(chunk)), cb()) });
  const ctx: CliContext = { env: { LOGTO_M2M_SECRET: d.m2m.secret }, cwd, stdout: sink((s) => (stdout += s)), stderr: sink(() => undefined), signal: new AbortController().signal };
  let code: number;
  let stderr = '';
  try {
    code = await logtoSetupCommand(flags, ctx);
  } catch (error) {
    // What main does with an error: its code gives the exit code, its message goes to stderr.
    if (!isTodoMcpError(error)) throw error;
    code = EXIT_FOR_CODE[error.code];
    stderr = error.message;
  }
  return { code, stdout, stderr, json: stdout ? JSON.parse(stdout) : undefined };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-logto-'));
  dirs.push(dir);
  return dir;
}

const outcomes = (run: Run) => Object.fromEntries(run.json!.objects.map((o) => [`${o.kind} ${o.name}`, o.outcome]));
const writes = (d: ManagementApiDouble) => d.requests.filter((r) => /^(POST|PATCH|PUT|DELETE) \/api\//.test(r));
const roleScopeNames = (d: ManagementApiDouble, name: string) => {
  const role = d.state.roles.find((r) => r.name === name)!;
  return d.state.rolesScopes.filter((x) => x.roleId === role.id).map((x) => d.state.scope(x.scopeId).name).sort();
};

describe('logto setup on a tenant an earlier run left half done', () => {
  it('completes it without duplicating anything', async () => {
    const d = await tenant();
    // What an interrupted first run leaves: the resource, one permission, the Admin role with that permission.
    const resource = d.state.createResource({ name: 'Todo Manager', indicator: 'http://localhost:3001' });
    const create = d.state.createScope(resource.id, { name: 'create:todos', description: 'Create new todo items' });
    d.state.createRole({ name: 'Admin', description: 'Todo Manager: create:todos, read:todos, delete:todos', scopeIds: [create.id] });
    const cwd = await tempDir();

    const run = await setup(d, cwd, ['--fix']);
    expect(run.code).toBe(0);
    expect(outcomes(run)).toMatchObject({
      'api-resource http://localhost:3001': 'already right',
      'permission create:todos': 'already right',
      'permission read:todos': 'created',
      'permission delete:todos': 'created',
      'role Admin': 'fixed',
      'role User': 'created',
      'application todo-mcp CLI': 'created',
      'config-file todo-mcp.config.json': 'created',
    });
    expect(d.state.resources.filter((r) => r.indicator === 'http://localhost:3001')).toHaveLength(1);
    expect(d.state.scopes.filter((s) => s.resourceId === resource.id)).toHaveLength(3);
    expect(d.state.roles.filter((r) => r.name === 'Admin')).toHaveLength(1);
    expect(roleScopeNames(d, 'Admin')).toEqual(['create:todos', 'delete:todos', 'read:todos']);

    const again = await setup(d, cwd);
    expect(new Set(Object.values(outcomes(again)))).toEqual(new Set(['already right']));
  });

  it('an Admin role missing permissions is reported, not repaired, without --fix (exit 9)', async () => {
    const d = await tenant();
    const resource = d.state.createResource({ name: 'Todo Manager', indicator: 'http://localhost:3001' });
    const create = d.state.createScope(resource.id, { name: 'create:todos', description: 'Create new todo items' });
    d.state.createRole({ name: 'Admin', description: 'x', scopeIds: [create.id] });
    const run = await setup(d, await tempDir());
    expect(run.code).toBe(9);
    const admin = run.json!.objects.find((o) => o.name === 'Admin')!;
    expect(admin.outcome).toBe('differs');
    expect(admin.differences).toEqual(['lacks the permission read:todos', 'lacks the permission delete:todos']);
    expect(roleScopeNames(d, 'Admin')).toEqual(['create:todos']);
  });
});

describe('logto setup on a drifted tenant', () => {
  async function drifted() {
    const d = await tenant();
    const cwd = await tempDir();
    expect((await setup(d, cwd)).code).toBe(0);
    // Someone edits the tenant in the Console: User loses its permission and its default flag, Admin becomes
    // a default role, the CLI app loses its redirect URI, a description changes.
    const user = d.state.roles.find((r) => r.name === 'User')!;
    const admin = d.state.roles.find((r) => r.name === 'Admin')!;
    d.state.rolesScopes.splice(d.state.rolesScopes.findIndex((x) => x.roleId === user.id), 1);
    user.isDefault = false;
    admin.isDefault = true;
    const cli = d.state.applications.find((a) => a.name === 'todo-mcp CLI')!;
    (cli.oidcClientMetadata as unknown as { redirectUris: string[] }).redirectUris = ['http://127.0.0.1:9999/elsewhere'];
    d.state.scopes.find((s) => s.name === 'read:todos')!.description = 'old words';
    return { d, cwd, cli };
  }

  it('reports each difference and changes nothing without --fix (exit 9)', async () => {
    const { d, cwd } = await drifted();
    const before = JSON.stringify(d.state);
    const writesBefore = writes(d).length;
    const run = await setup(d, cwd);
    expect(run.code).toBe(9);
    const byName = Object.fromEntries(run.json!.objects.map((o) => [o.name, o]));
    expect(byName.User).toMatchObject({ outcome: 'differs', differences: ['lacks the permission create:todos', 'is not a default role (new users would get no permission)'] });
    expect(byName.Admin).toMatchObject({ outcome: 'differs', differences: ['is a default role (every new user would get it)'] });
    expect(byName['todo-mcp CLI']).toMatchObject({ outcome: 'differs', differences: ['lacks the redirect URI http://127.0.0.1/callback'] });
    expect(byName['read:todos']).toMatchObject({ outcome: 'differs', differences: ['is described as "old words", not "Read all todo items"'] });
    expect(byName['todo-mcp Inspector']!.outcome).toBe('already right');
    expect(writes(d).length).toBe(writesBefore);
    expect(JSON.stringify(d.state)).toBe(before);
  });

  it('--dry-run --fix says what it would fix and still changes nothing', async () => {
    const { d, cwd } = await drifted();
    const before = JSON.stringify(d.state);
    const run = await setup(d, cwd, ['--fix', '--dry-run']);
    expect(run.code).toBe(0);
    expect(outcomes(run)).toMatchObject({ 'role User': 'would fix', 'role Admin': 'would fix', 'application todo-mcp CLI': 'would fix' });
    expect(JSON.stringify(d.state)).toBe(before);
  });

  it('--fix repairs them (keeping the app\'s other redirect URI), and the next run finds everything right', async () => {
    const { d, cwd, cli } = await drifted();
    const run = await setup(d, cwd, ['--fix']);
    expect(run.code).toBe(0);
    expect(outcomes(run)).toMatchObject({ 'role User': 'fixed', 'role Admin': 'fixed', 'application todo-mcp CLI': 'fixed', 'permission read:todos': 'fixed' });
    expect(roleScopeNames(d, 'User')).toEqual(['create:todos']);
    expect(d.state.roles.find((r) => r.name === 'User')!.isDefault).toBe(true);
    expect(d.state.roles.find((r) => r.name === 'Admin')!.isDefault).toBe(false);
    expect(cli.oidcClientMetadata.redirectUris).toEqual(['http://127.0.0.1:9999/elsewhere', 'http://127.0.0.1/callback']);
    const again = await setup(d, cwd);
    expect(again.code).toBe(0);
    expect(new Set(Object.values(outcomes(again)))).toEqual(new Set(['already right']));
  });

  it('a User role that also grants delete:todos is reported; --fix takes the permission away', async () => {
    const d = await tenant();
    const cwd = await tempDir();
    await setup(d, cwd);
    const user = d.state.roles.find((r) => r.name === 'User')!;
    d.state.addRoleScopes(user.id, [d.state.scopes.find((s) => s.name === 'delete:todos')!.id]);
    const run = await setup(d, cwd);
    expect(run.json!.objects.find((o) => o.name === 'User')!.differences).toEqual(['also grants delete:todos']);
    await setup(d, cwd, ['--fix']);
    expect(roleScopeNames(d, 'User')).toEqual(['create:todos']);
  });

  it('a config file naming another client id differs; --fix rewrites it the way init does', async () => {
    const d = await tenant();
    const cwd = await tempDir();
    await setup(d, cwd);
    const path = join(cwd, 'todo-mcp.config.json');
    const right = await readFile(path, 'utf8');
    await writeFile(path, right.replace(/"clientId": "[^"]+"/, '"clientId": "someone-else"'));
    const run = await setup(d, cwd);
    expect(run.code).toBe(9);
    expect(run.json!.objects.at(-1)).toMatchObject({ kind: 'config-file', outcome: 'differs' });
    expect(run.json!.objects.at(-1)!.differences[0]).toMatch(/^clientId is "someone-else", not "/);
    await setup(d, cwd, ['--fix']);
    expect(await readFile(path, 'utf8')).toBe(right);
  });

  it('things setup cannot repair (a Native app name taken by an SPA, a machine-to-machine role named User) are conflicts', async () => {
    const d = await tenant();
    d.state.createApplication({ name: 'todo-mcp CLI', type: 'SPA' });
    d.state.createRole({ name: 'User', description: 'm2m', type: 'MachineToMachine' });
    d.state.createResource({ name: 'Todo Manager', indicator: 'http://localhost:3001/' });
    const run = await setup(d, await tempDir());
    expect(run.code).toBe(9);
    expect(outcomes(run)).toMatchObject({ 'application todo-mcp CLI': 'conflict', 'role User': 'conflict', 'config-file todo-mcp.config.json': 'conflict' });
    const resource = run.json!.objects[0]!;
    expect(resource.notes[0]).toMatch(/http:\/\/localhost:3001\/, which is not http:\/\/localhost:3001/);
  });
});

describe('logto setup and the plan\'s limits (Logto Cloud quota)', () => {
  it('stops at the limit with what to do (exit 7), keeps what it made, and a later run completes it', async () => {
    const d = await tenant({ userRolesLimit: 1 });
    const cwd = await tempDir();
    const run = await setup(d, cwd);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/Creating the role User failed: the tenant's plan allows no more of these \(userRolesLimit: limit 1, in use 1\)/);
    expect(outcomes(run)).toEqual({
      'api-resource http://localhost:3001': 'created',
      'permission create:todos': 'created',
      'permission read:todos': 'created',
      'permission delete:todos': 'created',
      'role Admin': 'created',
    });
    const error = (JSON.parse(run.stdout) as { error: { code: string } }).error;
    expect(error.code).toBe('logto_quota_exceeded');

    // The user upgrades the plan (or deletes a role they no longer need) and runs setup again.
    delete d.state.limits.userRolesLimit;
    const again = await setup(d, cwd);
    expect(again.code).toBe(0);
    expect(outcomes(again)).toMatchObject({ 'api-resource http://localhost:3001': 'already right', 'role Admin': 'already right', 'role User': 'created', 'config-file todo-mcp.config.json': 'created' });
    expect(d.state.roles.filter((r) => r.type === 'User')).toHaveLength(2);
  });
});

describe('logto setup --inspector-redirect', () => {
  it('registers the Inspector app with that redirect URI instead of the default; the next run finds it right', async () => {
    const d = await tenant();
    const cwd = await tempDir();
    const redirect = 'http://127.0.0.1:7000/oauth/callback';
    const first = await setup(d, cwd, ['--inspector-redirect', redirect]);
    expect(first.code, first.stderr).toBe(0);
    const inspector = d.state.applications.find((a) => a.name === 'todo-mcp Inspector')!;
    expect(inspector.oidcClientMetadata.redirectUris).toEqual([redirect]);
    const again = await setup(d, cwd, ['--inspector-redirect', redirect]);
    expect(outcomes(again)['application todo-mcp Inspector']).toBe('already right');
    // The default would now differ: the flag is what decides.
    const byDefault = await setup(d, cwd);
    expect(byDefault.code).toBe(9);
    expect(outcomes(byDefault)['application todo-mcp Inspector']).toBe('differs');
  });
});
