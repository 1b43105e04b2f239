import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigures } from './helpers/figures.js';
import { startFaultyIssuer, type FaultyIssuer, type JwksMode } from './helpers/faulty-issuer.js';
import { createTraffic, postMcp } from './helpers/mcp-http.js';
import { startServerProcess, type ServerProcess } from './helpers/serve-process.js';

/**
 * Authorization-server faults seen from the resource server: the issuer's JWKS endpoint fails in every way
 * a network can fail while the compiled server (in its own process, JWKS cool-down shortened to keep the
 * test short) keeps answering. Known keys go on verifying; an unknown `kid` is a quick 401, never a 500
 * or a hang; the server asks for the JWKS at most about once per cool-down; it recovers when the issuer does.
 */

const COOLDOWN_MS = 1_000;
/** The verifier gives a JWKS request 5 s (its default); a hanging endpoint costs that, no more. */
const FETCH_TIMEOUT_MS = 5_000;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 2_500;
const FAULTS: JwksMode[] = ['status-503', 'reset', 'garbage', 'not-a-key-set', 'refused', 'hang'];

let dir: string;
let issuer: FaultyIssuer;
let server: ServerProcess;
const traffic = createTraffic();
let cases = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-rel-as-'));
  issuer = await startFaultyIssuer();
  server = await startServerProcess({ dataFile: join(dir, 'todos.json'), issuer: issuer.issuer, jwksCooldownMs: COOLDOWN_MS });
});

afterAll(async () => {
  const serverErrors = (server?.serverErrorLines.length ?? 0) + traffic.serverErrors;
  await server?.stop();
  await issuer?.close();
  await rm(dir, { recursive: true, force: true });
  reportFigures('auth-server', { requestsSent: traffic.requests, concurrentClients: 40, serverErrors, fuzzCasesTried: cases });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An authenticated request (initialize: 200 once the token verifies), timed. */
async function probe(token: string): Promise<{ status: number; ms: number; challenge: string | null; body: string }> {
  const started = Date.now();
  const reply = await postMcp(server.mcpUrl, {
    token,
    traffic,
    timeoutMs: 20_000,
    body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'probe', version: '1' } } },
  });
  return { status: reply.status, ms: Date.now() - started, challenge: reply.headers.get('www-authenticate'), body: reply.text };
}

const token = (kid?: string) => issuer.sign({ aud: server.resource, sub: 'alice', scope: 'create:todos' }, kid);

describe('authorization-server faults', () => {
  it('baseline: a token verifies after one JWKS fetch', async () => {
    const before = issuer.jwksRequests;
    expect((await probe(await token())).status).toBe(200);
    expect(issuer.jwksRequests - before).toBe(1);
  });

  for (const mode of FAULTS) {
    it(`JWKS ${mode}: known keys verify, an unknown kid is a quick 401, re-fetches are bounded, recovery works`, async () => {
      cases += 1;
      const knownKid = issuer.currentKid;
      await issuer.setMode(mode);
      const newKid = await issuer.rotate();
      // Let any earlier attempt's cool-down pass, so this outage is met by a real fetch.
      await sleep(COOLDOWN_MS + 100);
      const fetchesBefore = issuer.jwksRequests;
      const started = Date.now();

      // Two waves of strangers (one cool-down apart) while holders of known keys keep working.
      const limit = mode === 'hang' ? FETCH_TIMEOUT_MS + SLACK_MS : SLACK_MS;
      const unknown = async () => probe(await token(newKid));
      const known = async () => probe(await token(knownKid));
      const wave = () => Promise.all([...Array.from({ length: 30 }, unknown), ...Array.from({ length: 10 }, known)]);
      const first = wave();
      await sleep(COOLDOWN_MS + 200);
      const second = wave();
      const results = [...(await first), ...(await second)];
      const elapsed = Date.now() - started;

      for (const [index, result] of results.entries()) {
        const isKnown = index % 40 >= 30;
        if (isKnown) {
          expect(result.status, result.body).toBe(200);
          expect(result.ms).toBeLessThan(SLACK_MS);
        } else {
          expect(result.status, result.body).toBe(401);
          expect(result.challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+", scope="[^"]*", resource_metadata="http:\/\/localhost:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/);
          expect(result.ms).toBeLessThan(limit);
        }
      }
      // At most one request per cool-down window (plus the one in flight at the start), never one per token.
      const fetches = issuer.jwksRequests - fetchesBefore;
      expect(fetches).toBeGreaterThanOrEqual(mode === 'refused' ? 0 : 1);
      expect(fetches).toBeLessThanOrEqual(Math.ceil(elapsed / COOLDOWN_MS) + 1);

      // Recovery: once the issuer is back and the cool-down has passed, the new key verifies.
      await issuer.setMode('up');
      await sleep(COOLDOWN_MS + 100);
      const recoveredBefore = issuer.jwksRequests;
      const recovered = await Promise.all(Array.from({ length: 10 }, unknown));
      for (const result of recovered) expect(result.status, result.body).toBe(200);
      expect(issuer.jwksRequests - recoveredBefore).toBeLessThanOrEqual(1);
      expect(server.serverErrorLines).toEqual([]);
      expect(server.alive()).toBe(true);
    });
  }

  it('a storm of unknown kids while the JWKS is down costs about one JWKS request per cool-down', async () => {
    cases += 1;
    await issuer.setMode('status-503');
    await sleep(COOLDOWN_MS + 100);
    const before = issuer.jwksRequests;
    const started = Date.now();
    let sent = 0;
    // Strangers arriving continuously for three cool-downs, each with a kid nobody published.
    while (Date.now() - started < 3 * COOLDOWN_MS) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, async () => probe(await token(await issuer.rotate()))),
      );
      sent += batch.length;
      for (const result of batch) expect(result.status).toBe(401);
    }
    const elapsed = Date.now() - started;
    const fetches = issuer.jwksRequests - before;
    expect(sent).toBeGreaterThan(40);
    expect(fetches).toBeLessThanOrEqual(Math.ceil(elapsed / COOLDOWN_MS) + 1);
    await issuer.setMode('up');
    expect(server.serverErrorLines).toEqual([]);
  });
});
