import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthError } from '../../src/auth/oauth-error.js';
import { createTokenVerifier, type TokenVerifierOptions } from '../../src/auth/token-verifier.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { AUDIENCE, REJECTED_TOKENS } from './token-cases.js';

let issuer: TestIssuer;
beforeEach(async () => {
  issuer = await startTestIssuer();
});
afterEach(async () => {
  await issuer.close();
});

const verifierFor = (i: TestIssuer, extra: Partial<TokenVerifierOptions> = {}) =>
  createTokenVerifier({ issuer: i.issuer, audience: AUDIENCE, jwksUri: i.jwksUri, ...extra });

async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

describe('createTokenVerifier', () => {
  it('accepts a valid token and maps its claims to an identity', async () => {
    const verifier = verifierFor(issuer);
    const token = await issuer.sign({ sub: 'alice', scope: 'create:todos  read:todos', client_id: 'cli' });
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({ sub: 'alice', scopes: ['create:todos', 'read:todos'], clientId: 'cli' });
    expect(identity.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(Object.isFrozen(identity) && Object.isFrozen(identity.scopes)).toBe(true);
  });

  it('accepts an aud array that contains the resource, and a token without scope', async () => {
    const verifier = verifierFor(issuer);
    const identity = await verifier.verify(await issuer.sign({ aud: ['https://other.example', AUDIENCE], scope: undefined, client_id: undefined }));
    expect(identity.scopes).toEqual([]);
    expect(identity.clientId).toBeUndefined();
  });

  for (const c of REJECTED_TOKENS) {
    it(`rejects: ${c.name}`, async () => {
      const token = await c.make(issuer);
      const error = await rejection(verifierFor(issuer).verify(token));
      expect(error.code).toBe('invalid_token');
      expect(error.status).toBe(401);
      expect(error.description).toBe(c.description);
      expect(error.detail).toBeTruthy();
      expect(error.description).not.toContain(token.slice(0, 20));
    });
  }

  it('refuses to be configured with symmetric or "none" algorithms', () => {
    for (const algorithms of [['HS256'], ['ES256', 'none'], []]) {
      expect(() => verifierFor(issuer, { algorithms })).toThrow(TypeError);
    }
  });

  it('rejects an unknown kid, then accepts it once the JWKS publishes the rotated key', async () => {
    const verifier = verifierFor(issuer, { jwksCooldownMs: 0 });
    await verifier.verify(await issuer.sign());
    await issuer.rotate({ publish: false });
    const error = await rejection(verifier.verify(await issuer.sign()));
    expect(error.description).toBe('The access token is signed with a key the issuer does not publish');
    issuer.publishAll();
    await expect(verifier.verify(await issuer.sign({ sub: 'rotated' }))).resolves.toMatchObject({ sub: 'rotated' });
  });

  it('does not refetch the JWKS for an unknown kid during the cool-down, and does after it', async () => {
    const verifier = verifierFor(issuer, { jwksCooldownMs: 300 });
    await verifier.verify(await issuer.sign());
    await issuer.rotate();
    await rejection(verifier.verify(await issuer.sign()));
    expect(issuer.jwksFetches).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    await expect(verifier.verify(await issuer.sign({ sub: 'later' }))).resolves.toMatchObject({ sub: 'later' });
    expect(issuer.jwksFetches).toBe(2);
  });

  it('keeps verifying known keys while the JWKS endpoint is down', async () => {
    const verifier = verifierFor(issuer, { jwksCooldownMs: 0, cacheMax: 0 });
    await verifier.verify(await issuer.sign());
    issuer.setJwksAvailable(false);
    await expect(verifier.verify(await issuer.sign({ sub: 'still-fine' }))).resolves.toMatchObject({ sub: 'still-fine' });
    expect(issuer.jwksFetches).toBe(1);
  });

  it('does not let cached keys expire into a forced refetch (an old key set still works while the JWKS is down)', async () => {
    const verifier = verifierFor(issuer, { cacheMax: 0 });
    const token = await issuer.sign({ exp: Math.floor(Date.now() / 1000) + 3600 });
    await verifier.verify(token);
    issuer.setJwksAvailable(false);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 20 * 60_000); // beyond jose's default 10 min cacheMaxAge
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refreshes an old key set in the background without blocking verification', async () => {
    let clock = Date.now();
    const verifier = verifierFor(issuer, { now: () => clock, cacheMax: 0 });
    const token = await issuer.sign({ exp: Math.floor(clock / 1000) + 7200 });
    await verifier.verify(token);
    issuer.setJwksAvailable(false);
    clock += 11 * 60_000; // older than the 10 min refresh age
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    await expect.poll(() => issuer.jwksFetches).toBe(2);
    await verifier.verify(token); // the failed refresh started a cool-down: no new request
    expect(issuer.jwksFetches).toBe(2);
  });

  it('answers unknown kids fast and with bounded JWKS requests while the endpoint is down', async () => {
    const verifier = verifierFor(issuer, { jwksCooldownMs: 500 });
    const known = await issuer.sign();
    await verifier.verify(known);
    issuer.setJwksAvailable(false);
    await issuer.rotate();
    const unknown = await Promise.all(Array.from({ length: 50 }, (_, n) => issuer.sign({ sub: `u${n}` })));
    await new Promise((r) => setTimeout(r, 550)); // past the cool-down: a refetch is now allowed
    const started = performance.now();
    const concurrent = await Promise.all(unknown.map((t) => rejection(verifier.verify(t))));
    for (const t of unknown) await rejection(verifier.verify(t));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issuer.jwksFetches).toBeLessThanOrEqual(2);
    expect(new Set(concurrent.map((e) => e.code))).toEqual(new Set(['invalid_token']));
    expect(concurrent[0]!.description).toBe("The issuer's signing keys could not be retrieved; try again later");
    await expect(verifier.verify(known)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('makes at most one JWKS request when the endpoint is down from the start', async () => {
    issuer.setJwksAvailable(false);
    const verifier = verifierFor(issuer);
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, n) => issuer.sign({ sub: `u${n}` })));
    const errors = await Promise.all(tokens.map((t) => rejection(verifier.verify(t))));
    for (const t of tokens) await rejection(verifier.verify(t));
    expect(errors.every((e) => e.status === 401)).toBe(true);
    expect(issuer.jwksFetches).toBe(1);
    expect(verifier.stats.jwksFetches).toBe(1);
  });

  it('turns a hanging JWKS endpoint into invalid_token after the timeout', async () => {
    const hanging: Server = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    try {
      const { port } = hanging.address() as AddressInfo;
      const verifier = verifierFor(issuer, { jwksUri: `http://127.0.0.1:${port}/jwks`, fetchTimeoutMs: 200 });
      const started = performance.now();
      const error = await rejection(verifier.verify(await issuer.sign()));
      expect(performance.now() - started).toBeLessThan(2000);
      expect(error.code).toBe('invalid_token');
      expect(error.detail).toMatch(/JWKS/);
    } finally {
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });

  it('verifies the same token once, then serves it from the cache until it expires', async () => {
    let clock = Date.now();
    const verifier = verifierFor(issuer, { now: () => clock });
    const exp = Math.floor(clock / 1000) + 60;
    const token = await issuer.sign({ exp });
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toBe(first);
    expect(verifier.stats).toMatchObject({ signatureChecks: 1, cacheHits: 1 });

    clock = (exp + 3) * 1000; // past exp but inside the 5 s tolerance
    await expect(verifier.verify(token)).resolves.toBe(first);
    clock = (exp + 6) * 1000;
    const error = await rejection(verifier.verify(token));
    expect(error.description).toBe('The access token expired');
    expect(verifier.stats.signatureChecks).toBe(1); // refused from the cache entry, not re-verified
    await rejection(verifier.verify(token)); // and the entry is gone: a full check refuses it too
    expect(verifier.stats.signatureChecks).toBe(2);
  });

  it('never caches a rejected token and evicts the least recently used entry', async () => {
    const verifier = verifierFor(issuer, { cacheMax: 2 });
    const bad = await issuer.sign({ aud: 'https://other.example' });
    await rejection(verifier.verify(bad));
    await rejection(verifier.verify(bad));
    expect(verifier.stats.signatureChecks).toBe(2);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => issuer.sign({ sub })));
    for (const t of [a!, b!, a!, c!]) await verifier.verify(t); // b is now least recently used and evicted
    const before = verifier.stats.signatureChecks;
    await verifier.verify(a!);
    await verifier.verify(c!);
    expect(verifier.stats.signatureChecks).toBe(before);
    await verifier.verify(b!);
    expect(verifier.stats.signatureChecks).toBe(before + 1);
  });
});
