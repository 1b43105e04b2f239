import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { createTestLogin, testLoginMetadata, type TestLoginOptions, type TestLoginRecord } from './test-issuer-login.js';

/**
 * A real (if tiny) authorization server for tests: metadata and JWKS over HTTP on 127.0.0.1, keys made
 * with jose, and a `sign` that mints access tokens. Nothing about the verifier is mocked.
 */
export interface TestIssuer {
  /** The issuer identifier, e.g. http://127.0.0.1:PORT/oidc */
  readonly issuer: string;
  readonly jwksUri: string;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  /** Mint a token signed by the current key (claims default to a valid token for `audience`). */
  sign(claims?: JWTPayload, options?: { kid?: string; alg?: string; key?: CryptoKey; header?: Record<string, unknown> }): Promise<string>;
  /** Make a new key current; when `publish` is false the JWKS does not serve it yet. */
  rotate(options?: { publish?: boolean }): Promise<string>;
  /** Serve every key made so far in the JWKS. */
  publishAll(): void;
  /** Make the JWKS endpoint answer 503 (down) or work again. */
  setJwksAvailable(available: boolean): void;
  /** Make the JWKS endpoint answer this HTTP status (200 = serve the keys). */
  setJwksStatus(status: number): void;
  /** The public JWK of the current key (for alg-confusion tests). */
  currentPublicJwk(): JWK;
  /** With the `login` option: what the sign-in endpoints were asked and issued. */
  readonly login?: TestLoginRecord;
  close(): Promise<void>;
}

interface KeyEntry {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  published: boolean;
}

export async function startTestIssuer(
  options: {
    path?: string;
    audience?: string;
    alg?: 'ES384' | 'ES256' | 'RS256';
    metadata?: 'oauth' | 'openid' | 'both';
    /** Extra fields of the metadata document (e.g. client_id_metadata_document_supported). Default: none. */
    extraMetadata?: Record<string, unknown>;
    /** Also sign users in, as a Logto tenant with a pre-registered native app would (see test-issuer-login.ts). Default: metadata and JWKS only. */
    login?: TestLoginOptions;
  } = {},
): Promise<TestIssuer> {
  const path = options.path ?? '/oidc';
  const alg = options.alg ?? 'ES384';
  const keys: KeyEntry[] = [];
  let jwksFetches = 0;
  let jwksStatus = 200;
  const metadataKind = options.metadata ?? 'both';

  async function makeKey(published: boolean): Promise<KeyEntry> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `k${keys.length + 1}-${Math.random().toString(36).slice(2, 8)}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const entry = { kid, privateKey, publicJwk, published };
    keys.push(entry);
    return entry;
  }
  await makeKey(true);
  // Same kid as the current key, another private key: a signature the JWKS cannot verify.
  const forger = (await generateKeyPair(alg, { extractable: true })).privateKey;
  const login = options.login
    ? createTestLogin(
        options.login,
        {
          issuer: () => issuer,
          sign: (payload, header, { forged }) =>
            new SignJWT(payload).setProtectedHeader({ alg, kid: current().kid, ...header }).sign(forged ? forger : current().privateKey),
        },
        path,
      )
    : undefined;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const metadata = () => ({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      ...(options.login ? testLoginMetadata(issuer, options.login, alg) : {}),
      ...options.extraMetadata,
    });
    const wellKnownOAuth = `/.well-known/oauth-authorization-server${path}`;
    const wellKnownOidc = `${path}/.well-known/openid-configuration`;
    if ((url.pathname === wellKnownOAuth && metadataKind !== 'openid') || (url.pathname === wellKnownOidc && metadataKind !== 'oauth')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata()));
      return;
    }
    if (url.pathname === `${path}/jwks`) {
      jwksFetches += 1;
      if (jwksStatus !== 200) {
        res.writeHead(jwksStatus).end('unavailable');
        return;
      }
      const body = { keys: keys.filter((k) => k.published).map((k) => k.publicJwk) };
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(body));
      return;
    }
    if (login && (await login.handle(req, res, url))) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}${path}`;
  const current = () => keys[keys.length - 1]!;

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    get jwksFetches() {
      return jwksFetches;
    },
    async sign(claims = {}, signOptions = {}) {
      const key = current();
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: issuer,
        sub: 'user-1',
        aud: options.audience ?? 'http://localhost:3001',
        iat: now,
        exp: now + 600,
        scope: '',
        client_id: 'test-client',
        ...claims,
      };
      for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: signOptions.alg ?? alg, kid: signOptions.kid ?? key.kid, typ: 'at+jwt', ...signOptions.header })
        .sign(signOptions.key ?? key.privateKey);
    },
    async rotate(rotateOptions = {}) {
      const entry = await makeKey(rotateOptions.publish ?? true);
      return entry.kid;
    },
    publishAll() {
      for (const k of keys) k.published = true;
    },
    setJwksAvailable(available) {
      jwksStatus = available ? 200 : 503;
    },
    setJwksStatus(status) {
      jwksStatus = status;
    },
    currentPublicJwk() {
      return current().publicJwk;
    },
    ...(login ? { login: login.record } : {}),
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
