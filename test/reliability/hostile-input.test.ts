import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { reportFigures } from './helpers/figures.js';
import { createTraffic, openRawSession, postMcp, type McpReply, type RawSession } from './helpers/mcp-http.js';
import { hostileCaseGroups, INJECT, rpc, type HostileCase } from './helpers/hostile-cases.js';
import { classify, SAFE_CHALLENGE } from './helpers/outcome.js';
import { startServerProcess, type ServerProcess } from './helpers/serve-process.js';

/**
 * Hostile input, table-driven, against `todo-mcp serve` in its own process: malformed JSON, wrong JSON-RPC
 * shapes, huge bodies, long and control-character content, invalid UTF-8, prototype keys, ids of every
 * type, values aimed at WWW-Authenticate, floods without a token and floods of sessions. Every answer must
 * be a 4xx, a JSON-RPC error or a tool error with a message (or a legitimate success); the process stays
 * up; its memory stays bounded.
 */

let issuer: TestIssuer;
let dir: string;
let server: ServerProcess;
const traffic = createTraffic();
const tokens = { alice: '', bob: '', admin: '' };
let alice: RawSession;
let bobTodoId = '';
let cases = 0;
let leaks = 0;
let maxClients = 1;

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-rel-hostile-'));
  server = await startServerProcess({ dataFile: join(dir, 'todos.json'), issuer: issuer.issuer });
  tokens.alice = await issuer.sign({ sub: 'alice', scope: 'create:todos', aud: server.resource });
  tokens.bob = await issuer.sign({ sub: 'bob', scope: 'create:todos', aud: server.resource });
  tokens.admin = await issuer.sign({ sub: 'admin', scope: 'create:todos read:todos delete:todos', aud: server.resource });
  alice = await openRawSession(server.mcpUrl, tokens.alice, { traffic });
  const bob = await openRawSession(server.mcpUrl, tokens.bob, { traffic });
  const created = await bob.callTool('create-todo', { content: "bob's secret" });
  bobTodoId = (created.result?.structuredContent?.todo as { id: string }).id;
});

afterAll(async () => {
  const serverErrors = (server?.serverErrorLines.length ?? 0) + traffic.serverErrors;
  await server?.stop();
  await issuer?.close();
  await rm(dir, { recursive: true, force: true });
  reportFigures('hostile-input', { requestsSent: traffic.requests, concurrentClients: maxClients, crossUserLeaks: leaks, serverErrors, fuzzCasesTried: cases });
});


/** Sends one case; returns a description of what was wrong with the answer, or undefined. */
async function run(c: HostileCase): Promise<string | undefined> {
  cases += 1;
  const token = c.token === 'none' ? undefined : typeof c.token === 'function' ? await c.token() : tokens[c.token ?? 'alice'];
  const url = c.query ? `${server.mcpUrl}?${c.query}` : server.mcpUrl;
  let reply: McpReply;
  try {
    reply = await postMcp(url, {
      token,
      sessionId: c.session === false ? undefined : alice.sessionId,
      body: c.raw ?? (typeof c.json === 'function' ? (c.json as () => unknown)() : c.json),
      headers: c.headers,
      method: c.method,
      traffic,
    });
  } catch (error) {
    return `${c.name}: no answer (${(error as Error).message})`;
  }
  const outcome = classify(reply);
  const problems: string[] = [];
  if (!c.expect.includes(outcome.kind)) problems.push(`expected ${c.expect.join('|')}, got ${outcome.kind} (${outcome.status}) ${outcome.message.slice(0, 200)}`);
  if (c.message && !c.message.test(outcome.message)) problems.push(`message ${JSON.stringify(outcome.message.slice(0, 200))} does not match ${c.message}`);
  const challenge = reply.headers.get('www-authenticate');
  if (challenge !== null && !SAFE_CHALLENGE.test(challenge)) problems.push(`unsafe WWW-Authenticate: ${JSON.stringify(challenge)}`);
  for (const name of ['x-injected', 'set-cookie']) if (reply.headers.has(name)) problems.push(`an injected ${name} header came back`);
  try {
    c.check?.(reply, outcome);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems.length ? `${c.name}: ${problems.join('; ')}` : undefined;
}

/** Raw HTTP/1.1 over a socket, for requests fetch refuses to send (bytes fetch would reject or rewrite). */
function rawHttp(request: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let data = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    traffic.requests += 1;
    socket.end(request);
  });
}

describe('hostile input', () => {
  const groups = hostileCaseGroups({
    sign: (claims, options) => issuer.sign(claims, options),
    resource: () => server.resource,
    bobTodoId: () => bobTodoId,
    onLeak: () => void (leaks += 1),
  });
  let rssBefore = 0;

  it('the server starts small enough to measure', async () => {
    rssBefore = await server.rssKb();
    expect(rssBefore).toBeGreaterThan(0);
  });

  for (const [group, table] of groups) {
    it(`${group}: every case is a 4xx or an error with a clear message`, async () => {
      const failures: string[] = [];
      for (const c of table) {
        const failure = await run(c);
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
      expect(server.alive()).toBe(true);
      expect(server.serverErrorLines).toEqual([]);
    });
  }

  it('header bytes fetch would refuse (CR/LF, NUL, quotes in raw header lines) never reach a response header', async () => {
    const requests = [
      `POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer abc"\r\n\tX-Injected: yes\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      `POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer a\u0000b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      `POST /mcp HTTP/1.1\r\nHost: localhost"\r\nX-Injected: yes\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      `POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${tokens.alice}\r\nMcp-Session-Id: ${alice.sessionId}"\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      `POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${tokens.alice}\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      `GET /mcp?access_token=${INJECT.replace(/\r\n/g, '%0d%0a')} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      `POST /mcp HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n`,
    ];
    for (const request of requests) {
      cases += 1;
      const { status, head } = await rawHttp(request);
      expect(status, head).toBeGreaterThanOrEqual(400);
      expect(status, head).toBeLessThan(500);
      expect(head.toLowerCase()).not.toContain('x-injected');
      expect(head.toLowerCase()).not.toContain('set-cookie');
      const challenge = /^www-authenticate: (.*)$/im.exec(head)?.[1];
      if (challenge !== undefined) expect(challenge).toMatch(SAFE_CHALLENGE);
    }
    expect(server.alive()).toBe(true);
  });

  it('thousands of requests without a token, with junk tokens and with unknown keys: all 401/400, memory bounded', async () => {
    const before = await server.rssKb();
    const statuses = new Map<number, number>();
    const kinds: Array<() => Promise<string | undefined>> = [
      async () => undefined,
      async () => Math.random().toString(36).repeat(8),
      async () => `${Buffer.from('{"alg":"ES384","kid":"nobody"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`,
    ];
    const total = 2_400;
    const concurrency = 50;
    maxClients = Math.max(maxClients, concurrency);
    let sent = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          const kind = kinds[sent % kinds.length]!;
          sent += 1;
          const reply = await postMcp(server.mcpUrl, { token: await kind(), traffic, body: rpc('tools/list') });
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        }
      }),
    );
    cases += total;
    expect([...statuses.keys()].every((s) => s === 401 || s === 400), JSON.stringify([...statuses])).toBe(true);
    const after = await server.rssKb();
    process.stdout.write(`hostile: ${total} unauthenticated requests, RSS ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MiB\n`);
    expect(after - before).toBeLessThan(64 * 1024);
    expect(server.alive()).toBe(true);
  });

  it('a flood of sessions is capped: the oldest are closed, memory stays bounded', async () => {
    const before = await server.rssKb();
    const first = await openRawSession(server.mcpUrl, tokens.alice, { traffic });
    // Just the initialize request: that alone makes the server create and keep a session.
    const total = 1_100;
    const initialize = rpc('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'flood', version: '1' } });
    let opened = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (opened < total) {
          opened += 1;
          const reply = await postMcp(server.mcpUrl, { token: tokens.alice, traffic, body: initialize });
          expect(reply.status).toBe(200);
        }
      }),
    );
    cases += total;
    // More sessions than the cap (1,000) were opened after `first`: it must have been closed.
    const stale = await first.callTool('get-todos', {});
    expect(stale.status).toBe(404);
    const after = await server.rssKb();
    process.stdout.write(`hostile: ${total} sessions opened, RSS ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MiB\n`);
    expect(after - before).toBeLessThan(200 * 1024);
    expect(server.alive()).toBe(true);
  });

  it('afterwards the server still works, and alice still sees only her own todos', async () => {
    const session = await openRawSession(server.mcpUrl, tokens.alice, { traffic });
    const created = await session.callTool('create-todo', { content: 'still here' });
    expect(created.result?.isError).toBeFalsy();
    const listed = (await session.callTool('get-todos', {})).result?.structuredContent as { scope: string; todos: Array<{ ownerId: string }> };
    expect(listed.scope).toBe('own');
    const foreign = listed.todos.filter((t) => t.ownerId !== 'alice');
    leaks += foreign.length;
    expect(foreign).toEqual([]);
    expect(server.serverErrorLines).toEqual([]);
    expect(rssBefore).toBeGreaterThan(0);
  });
});
