import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { loadConfigFile } from '../../src/config/config-file.js';
import { DEFAULT_CHECKLIST_VALUES, logtoChecklist } from '../../src/config/provider-checklist.js';
import { createServer } from 'node:net';

/** A loopback port that was free a moment ago and on which nothing listens now. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let issuer: TestIssuer;
const dirs: string[] = [];
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-mcp-init-'));
  dirs.push(dir);
  return dir;
}

describe('todo-mcp init', () => {
  const cases: Array<[string, string[]]> = [
    ['embedded', []],
    ['logto', ['--client-id', 'logto-native-app-id']],
    ['generic', ['--client-id', 'generic-client', '--audience', 'todo-api']],
  ];
  for (const [provider, extra] of cases) {
    it(`--provider ${provider} writes a valid config that serve accepts`, async () => {
      const dir = await emptyDir();
      const issuerArgs = provider === 'embedded' ? [] : ['--issuer', issuer.issuer];
      // A port nothing listens on, so the client commands below meet a closed port whatever runs on 3001.
      const port = await closedPort();
      const r = await runCliInProcess(['init', '--provider', provider, '--port', String(port), ...issuerArgs, ...extra], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const { config } = await loadConfigFile({ cwd: dir });
      expect(config.resource).toBe(`http://localhost:${port}`);
      expect(config.server).toBe(`http://localhost:${port}/mcp`);
      if (provider !== 'embedded') expect(config.issuer).toBe(issuer.issuer);
      if (provider === 'logto') {
        expect(config.clientId).toBe('logto-native-app-id');
        expect(r.stdout).toContain(logtoChecklist({ ...DEFAULT_CHECKLIST_VALUES, resource: `http://localhost:${port}` })[0]);
      }
      if (provider === 'generic') expect(config.audience).toBe('todo-api');
      expect((await readFile(join(dir, '.env.example'), 'utf8'))).toContain('TODO_MCP_RESOURCE');

      // The client commands read the same file: no usage error, and they aim at the configured server.
      const doctor = await runCliInProcess(['doctor', '--json', '--timeout', '2'], { cwd: dir, env: { TODO_MCP_HOME: join(dir, 'home') } });
      expect(doctor.code, doctor.stderr).toBe(9);
      expect((JSON.parse(doctor.stdout) as { server: string }).server).toBe(`http://localhost:${port}/mcp`);
      const call = await runCliInProcess(['call', 'get-todos', '--no-login'], { cwd: dir, env: { TODO_MCP_HOME: join(dir, 'home') } });
      expect([3, 5], call.stderr).toContain(call.code);
      const login = await runCliInProcess(['login', '--no-browser', '--timeout', '1'], { cwd: dir, env: { TODO_MCP_HOME: join(dir, 'home') } });
      expect(login.code, login.stderr).not.toBe(2);
      expect(login.stderr).toContain(`localhost:${port}`);

      if (provider !== 'embedded') {
        // serve reads the written config (issuer from the file) — the port is overridden to stay ephemeral.
        const serve = await runCliInProcess(['serve', '--port', '0', '--data', join(dir, 'todos.json')], { cwd: dir, stopWhen: /trusted issuer\s+\S+/ });
        expect(serve.code, serve.stderr).toBe(0);
        expect(/trusted issuer\s+(\S+)/.exec(serve.stdout + serve.stderr)?.[1]).toBe(issuer.issuer);
      }
    });
  }

  it('a second init without --force refuses and changes nothing; --force replaces', async () => {
    const dir = await emptyDir();
    // The binary, as a user runs it (the wiring of `init`); the rest of this file runs the CLI in-process.
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const path = join(dir, 'todo-mcp.config.json');
    const before = await readFile(path, 'utf8');
    const mtime = (await stat(path)).mtimeMs;
    const again = await runCliInProcess(['init', '--provider', 'logto', '--issuer', issuer.issuer, '--client-id', 'x'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect((await stat(path)).mtimeMs).toBe(mtime);
    const forced = await runCliInProcess(['init', '--provider', 'logto', '--issuer', issuer.issuer, '--client-id', 'x', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await readFile(path, 'utf8')).toContain('"clientId": "x"');
  });

  it('missing required values off a terminal are usage errors naming the flag', async () => {
    const dir = await emptyDir();
    // Spawned: its stdin is a pipe, not a terminal, which is the point.
    const r = await runCli(['init', '--provider', 'logto'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--issuer');
    const noClient = await runCli(['init', '--provider', 'logto', '--issuer', 'https://t.logto.app/oidc'], { cwd: dir });
    expect(noClient.code).toBe(2);
    expect(noClient.stderr).toContain('--client-id');
  });

  it('an invalid config file is reported with its path and the field', async () => {
    const dir = await emptyDir();
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'todo-mcp.config.json'), JSON.stringify({ issuer: 'not a url', colour: 'blue' })));
    const r = await runCliInProcess(['serve', '--port', '0'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'todo-mcp.config.json'));
    expect(r.stderr).toMatch(/issuer/);
    expect(r.stderr).toMatch(/colour/);
  });
});

describe('README and init agree on the Logto checklist', () => {
  it('the README embeds exactly the checklist init prints', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /<!-- logto-checklist:start -->\n([\s\S]*?)\n<!-- logto-checklist:end -->/.exec(readme)?.[1];
    expect(section, 'README needs the logto-checklist markers').toBeDefined();
    expect(section).toBe(logtoChecklist().join('\n'));
  });

  it('says what a real Logto (v1.37.1) showed, in the checklist init prints and in the README', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const checklist = logtoChecklist().join('\n');
    // A pre-registered client id is needed: Logto has no dynamic client registration.
    expect(checklist).toMatch(/required: Logto has no dynamic client registration, so the CLI needs a pre-registered client id/);
    expect(readme).not.toMatch(/nothing else changes/i);
    expect(readme).toMatch(/the CLI then also needs the App ID of a\s+Logto \*\*Native app\*\* \(`--client-id`\)/);
    // A trailing-slash (or any other) resource is refused at the authorization endpoint, before sign-in.
    expect(checklist).toMatch(/refuses any other indicator at the authorization endpoint, redirecting back with `invalid_target` before the sign-in page appears/);
    expect(readme).toMatch(/refuses it at the authorization endpoint: the browser is\s+redirected back with `invalid_target` before the sign-in page appears/);
    expect(readme).not.toMatch(/token request fails with `invalid_target`/);
    // No "Refresh token" switch on a Native app: refresh tokens by default, "Rotate refresh token" and the TTL.
    expect(checklist).toContain('A Logto Native app has no "Refresh token" switch: refresh tokens come by default (its card has **Rotate refresh token**');
    expect(checklist).not.toMatch(/keep "Refresh token" enabled/);
    // No consent for first-party apps; the token response carries only API scopes.
    expect(checklist).toContain('Logto shows no consent page for first-party apps, and its token response lists only the API scopes (no `offline_access`)');
    expect(readme).toContain('Logto asks no consent for first-party apps');
    // The Inspector labels the transport streamable-http.
    expect(readme).toContain('transport `streamable-http`');
    expect(readme).not.toMatch(/transport Streamable HTTP/);
    // What each provider prints: the embedded server's subs are usernames, Logto's opaque ids.
    expect(readme).toContain('Logged in to http://localhost:3001/mcp as alice (sub alice)');
    expect(readme).toContain('Logged in to http://localhost:3001/mcp as alice (sub dwez64nl97sk)');
  });
});
