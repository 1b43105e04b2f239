import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { startCli } from '../helpers/run-cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
let dir: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-cli-serve-'));
});
afterAll(async () => {
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

// `serve` itself runs as a process (the wiring, signals); what ends before serving runs in-process.
describe('todo-mcp serve', () => {
  it('--help documents every option with its default', async () => {
    const r = await runCliInProcess(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--port', '--host', '--resource', '--issuer', '--data', '--allowed-origin', '--auth-port']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('3001');
    expect(r.stdout).toContain('127.0.0.1');
  });

  it('serves with --issuer, answers 401 with a challenge, and stops cleanly on SIGTERM', async () => {
    const data = join(dir, 'a.json');
    const proc = await startCli(['serve', '--port', '0', '--issuer', issuer.issuer, '--data', data], /MCP endpoint\s+(http:\/\/localhost:(\d+)\/mcp)/);
    try {
      const url = proc.match[1]!;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
      const prm = (await (await fetch(`http://localhost:${proc.match[2]}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string; authorization_servers: string[] };
      expect(prm.resource).toBe(`http://localhost:${proc.match[2]}`);
      expect(prm.authorization_servers).toEqual([issuer.issuer]);

      // A second server (in-process) on the same data file the running process holds refuses to start, naming the file.
      const second = await runCliInProcess(['serve', '--port', '0', '--issuer', issuer.issuer, '--data', data]);
      expect(second.code).toBe(6);
      expect(second.stderr).toContain(data);
    } finally {
      expect(await proc.stop('SIGTERM')).toBe(0);
    }
  });

  it('flags beat environment variables, which beat defaults', async () => {
    const ready = /MCP endpoint\s+http:\/\/localhost:(\d+)\/mcp[\s\S]*resource\s+(\S+)\n/;
    const served = await runCliInProcess(['serve', '--port', '0', '--data', join(dir, 'b.json')], {
      env: { TODO_MCP_ISSUER: issuer.issuer, TODO_MCP_RESOURCE: 'https://todo.example.com' },
      stopWhen: ready,
    });
    expect(served.code, served.stderr).toBe(0);
    expect(ready.exec(served.stdout + served.stderr)?.[2]).toBe('https://todo.example.com');
  });

  it('an unreachable issuer is a clear error naming the URLs tried', async () => {
    const r = await runCliInProcess(['serve', '--port', '0', '--issuer', 'http://127.0.0.1:9/oidc', '--data', join(dir, 'c.json')]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('http://127.0.0.1:9/.well-known/oauth-authorization-server/oidc');
    expect(r.stderr).toContain('http://127.0.0.1:9/oidc/.well-known/openid-configuration');
  });

  it('an invalid flag value is a usage error', async () => {
    const r = await runCliInProcess(['serve', '--port', 'abc', '--issuer', issuer.issuer]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });
});
