import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { startRawBridge, type RawBridge } from './helpers/raw-bridge.js';

/*
 * Issue 13 for `connect`: a signal ends the bridge within a second with 130/143 and one line saying what
 * was interrupted, even when the server never answers the session's DELETE (a courtesy then, bounded
 * like `call`'s). The server here answers initialize with a session and then holds every DELETE open.
 */
let root: string;
let server: Server;
let url: string;
const held: ServerResponse[] = [];
let deletes = 0;
const bridges: RawBridge[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-bridge-signals-'));
  server = createServer((req, res) => {
    if (req.method === 'DELETE') {
      deletes += 1;
      held.push(res); // never answered
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as { id?: string | number; method?: string; params?: { protocolVersion?: string } };
      if (message.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      const result = message.method === 'initialize' ? { protocolVersion: message.params?.protocolVersion, capabilities: {}, serverInfo: { name: 'holds-deletes', version: '1' } } : {};
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  for (const bridge of bridges) bridge.kill('SIGKILL');
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (root) await rm(root, { recursive: true, force: true });
});

describe('connect stops within a second on a signal', { timeout: 30_000 }, () => {
  for (const [signal, code, verb] of [['SIGINT', EXIT.interrupted, 'interrupted'], ['SIGTERM', EXIT.terminated, 'stopped']] as const) {
    it(`${signal} with a server that never answers the DELETE → ${code} within 1 s, one line saying what was interrupted`, async () => {
      const bridge = startRawBridge([url, '--no-login'], { env: { TODO_MCP_HOME: join(root, 'home') }, cwd: root });
      bridges.push(bridge);
      await bridge.initialize();
      const before = deletes;
      const started = performance.now();
      bridge.kill(signal);
      const exited = await bridge.exited;
      const ms = performance.now() - started;
      expect(exited, bridge.stderr()).toEqual({ code, signal: null });
      expect(ms).toBeLessThan(1_000);
      // It did try to end the session.
      expect(deletes).toBe(before + 1);
      expect(bridge.stderr().split('\n').filter((line) => line.startsWith('todo-mcp:'))).toEqual([`todo-mcp: ${verb} while forwarding MCP between the host and ${url} (${signal})`]);
    });
  }
});
