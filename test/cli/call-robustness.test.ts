import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { launchCli, type CliProcess } from '../helpers/cli-process.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { pingForever, startScriptedMcpServer, type Received, type ScriptedMcpServer } from '../helpers/scripted-mcp-server.js';
import { storeEntry } from '../helpers/stored-login.js';

/*
 * Issue 17, client robustness, as a user meets it: the real `todo-mcp call` against scripted servers on
 * 127.0.0.1 — a malformed result, a redirect to /mcp/, a stream of pings that never answers, Ctrl-C.
 */

let home: string;
const servers: ScriptedMcpServer[] = [];
const running: CliProcess[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'todo-mcp-call-robust-'));
});
afterEach(async () => {
  for (const cli of running.splice(0)) cli.kill();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const isCall = (r: Received) => r.body?.method === 'tools/call';
const json = (r: Received, result: unknown) => JSON.stringify({ jsonrpc: '2.0', id: r.body!.id, result });

/** A scripted server with a stored login for it. */
async function server(handle: Parameters<typeof startScriptedMcpServer>[0]): Promise<ScriptedMcpServer> {
  const scripted = await startScriptedMcpServer(handle);
  servers.push(scripted);
  await storeEntry(home, scripted.url);
  return scripted;
}

const env = () => ({ TODO_MCP_HOME: home, TODO_MCP_CONFIG: undefined });
const call = (url: string, ...extra: string[]) => runCliInProcess(['call', 'slow', '--no-login', '--server', url, ...extra], { env: env() });

describe('todo-mcp call against servers that misbehave', { timeout: 30_000 }, () => {
  it('malformed content → exit 8 naming the fault (it used to crash with 70)', async () => {
    const stub = await server((r, res) => isCall(r) && (res.writeHead(200, { 'content-type': 'application/json' }).end(json(r, { content: [{ type: 'resource' }] })), true));
    const result = await call(stub.url);
    expect(result.code, result.stderr).toBe(EXIT.protocolViolation);
    expect(result.stderr).toBe(`todo-mcp: ${stub.url} is not usable as an MCP server: its tools/call result is malformed: result.content[0].resource is missing.\n`);
  });

  it('prints every valid content variant (text, image, audio, link, embedded text and blob)', async () => {
    const png = Buffer.from('png!').toString('base64');
    const content = [
      { type: 'text', text: 'plain' },
      { type: 'image', data: png, mimeType: 'image/png' },
      { type: 'audio', data: png, mimeType: 'audio/wav', annotations: { audience: ['user'], priority: 0.2 } },
      { type: 'resource_link', uri: 'file:///a.txt', name: 'a.txt' },
      { type: 'resource', resource: { uri: 'file:///b.txt', text: 'embedded text' } },
      { type: 'resource', resource: { uri: 'file:///c.bin', mimeType: 'application/octet-stream', blob: png } },
    ];
    const stub = await server((r, res) => isCall(r) && (res.writeHead(200, { 'content-type': 'application/json' }).end(json(r, { content })), true));
    const result = await call(stub.url);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toBe(
      ['plain', '[image image/png, 4 bytes]', '[audio audio/wav, 4 bytes]', '[resource link file:///a.txt (a.txt)]', 'embedded text', '[resource file:///c.bin application/octet-stream, binary]', ''].join('\n'),
    );
  });

  it('a 308 from /mcp to /mcp/ → the call succeeds', async () => {
    const stub = await server((r, res) => {
      if (r.path === '/mcp') return void res.writeHead(308, { location: '/mcp/' }).end(), true;
      return isCall(r) && (res.writeHead(200, { 'content-type': 'application/json' }).end(json(r, { content: [{ type: 'text', text: 'found at /mcp/' }] })), true);
    });
    const result = await call(stub.url);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toBe('found at /mcp/\n');
    expect(stub.received.find(isCall)!.path).toBe('/mcp/');
  });

  it('a server that only sends pings → the call ends at --timeout (exit 5) and the server received notifications/cancelled', async () => {
    const stub = await server((r, res) => isCall(r) && (pingForever(res), true));
    const started = performance.now();
    const result = await call(stub.url, '--timeout', '1');
    const took = performance.now() - started;
    expect(result.code, result.stderr).toBe(EXIT.unreachable);
    expect(result.stderr).toBe(`todo-mcp: ${stub.url} did not answer tools/call slow within 1 s.\n`);
    expect(took).toBeGreaterThanOrEqual(1_000);
    const cancelled = stub.received.find((r) => r.body?.method === 'notifications/cancelled');
    expect(cancelled?.body?.params).toEqual({ requestId: stub.received.find(isCall)!.body!.id, reason: 'todo-mcp gave up waiting (its deadline passed)' });
    expect(stub.received.at(-1)!.method).toBe('DELETE');
  });

  it('Ctrl-C mid-call → the server received notifications/cancelled, the session is closed, exit 130 within 1 s', async () => {
    const stub = await server((r, res) => isCall(r) && (pingForever(res), true));
    const cli = launchCli(['call', 'slow', '--no-login', '--server', stub.url], { env: env() });
    running.push(cli);
    const request = await stub.waitFor(isCall);
    const { code, ms } = await cli.signal('SIGINT');
    expect(code, cli.stderr()).toBe(EXIT.interrupted);
    expect(ms).toBeLessThan(1_000);
    expect(cli.stderr()).toBe(`todo-mcp: interrupted while waiting for ${stub.origin} to answer tools/call slow (SIGINT)\n`);
    const cancelled = stub.received.find((r) => r.body?.method === 'notifications/cancelled');
    expect(cancelled?.body?.params).toEqual({ requestId: request.body!.id, reason: 'the user stopped todo-mcp (SIGINT)' });
    expect(stub.received.at(-1)!.method).toBe('DELETE');
  });

  it('--timeout must be a positive number of seconds (usage, 2)', async () => {
    const result = await runCliInProcess(['call', 'slow', '--timeout', 'soon', '--server', 'http://127.0.0.1:9/mcp'], { env: env() });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--timeout');
  });
});
