import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';

/**
 * The sign-in half of the test issuer, shaped like a Logto tenant: a pre-registered public client only
 * (no registration endpoint), PKCE S256, an `iss` on the redirect, JWT access tokens for the requested
 * `resource` with an opaque `sub`, an ID token for `openid` carrying only `sub` unless told otherwise,
 * rotating refresh tokens, and optionally RFC 7009 revocation. `/auth` redirects at once: the user is
 * `sub`, already signed in. Every request is recorded.
 */
export interface TestLoginOptions {
  /** The signed-in user's `sub` (opaque, as Logto's). */
  readonly sub: string;
  /** Scopes the access token carries (space-separated), as the user's roles grant them. */
  readonly scope: string;
  /** Claims the ID token carries besides the required ones. Default: none — an ID token with only `sub`. */
  readonly idTokenClaims?: JWTPayload;
  /** Claims of the ID token a refresh returns; false: a refresh returns no ID token. Default: as at login. */
  readonly refreshIdTokenClaims?: JWTPayload | false;
  /** `scopes_supported` of the metadata. Default: openid, profile, offline_access. */
  readonly scopesSupported?: readonly string[];
  /** Access token lifetime in seconds (negative: already expired). Default: 600. */
  readonly accessTokenTtl?: number;
  /** Sign ID tokens with a key the JWKS does not publish. Default false. */
  readonly forgeIdTokenSignature?: boolean;
  /** A revocation endpoint that answers 200 ('ok') or 503 ('fail'). Default: none. */
  readonly revocation?: 'ok' | 'fail';
}

export interface TestLoginRecord {
  readonly authorizations: URL[];
  readonly tokenRequests: URLSearchParams[];
  readonly revocations: URLSearchParams[];
  /** Every ID token issued. */
  readonly idTokens: string[];
}

export interface TestLoginDeps {
  readonly issuer: () => string;
  /** Signs a JWT with the issuer's current key (or an unpublished one). */
  readonly sign: (payload: JWTPayload, header: { typ: string }, options: { forged: boolean }) => Promise<string>;
}

const base64url = (buffer: Buffer) => buffer.toString('base64url');

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export function testLoginMetadata(issuer: string, options: TestLoginOptions, alg: string): Record<string, unknown> {
  return {
    scopes_supported: [...(options.scopesSupported ?? ['openid', 'profile', 'offline_access'])],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    id_token_signing_alg_values_supported: [alg],
    authorization_response_iss_parameter_supported: true,
    ...(options.revocation ? { revocation_endpoint: `${issuer}/token/revocation` } : {}),
  };
}

/** Handles `/auth`, `/token` and `/token/revocation` under `path`; answers false for any other URL. */
export function createTestLogin(options: TestLoginOptions, deps: TestLoginDeps, path: string) {
  const record: TestLoginRecord = { authorizations: [], tokenRequests: [], revocations: [], idTokens: [] };
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string; scope: string[]; nonce?: string }>();
  const refreshTokens = new Map<string, { clientId: string; scope: string[]; resource: string }>();

  async function issue(res: ServerResponse, grant: { clientId: string; scope: string[]; resource: string; nonce?: string }, idClaims: JWTPayload | false) {
    const now = Math.floor(Date.now() / 1000);
    const ttl = options.accessTokenTtl ?? 600;
    const accessToken = await deps.sign(
      { iss: deps.issuer(), sub: options.sub, aud: grant.resource, client_id: grant.clientId, scope: options.scope, iat: now, exp: now + ttl },
      { typ: 'at+jwt' },
      { forged: false },
    );
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope: options.scope };
    if (grant.scope.includes('openid') && idClaims !== false) {
      const idToken = await deps.sign(
        { ...idClaims, iss: deps.issuer(), sub: options.sub, aud: grant.clientId, iat: now, exp: now + 3600, ...(grant.nonce ? { nonce: grant.nonce } : {}) },
        { typ: 'JWT' },
        { forged: options.forgeIdTokenSignature === true },
      );
      record.idTokens.push(idToken);
      body.id_token = idToken;
    }
    if (grant.scope.includes('offline_access')) {
      const refreshToken = base64url(randomBytes(24));
      refreshTokens.set(refreshToken, { clientId: grant.clientId, scope: grant.scope, resource: grant.resource });
      body.refresh_token = refreshToken;
    }
    json(res, 200, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === `${path}/auth`) {
      record.authorizations.push(url);
      const q = url.searchParams;
      const redirect = new URL(q.get('redirect_uri') ?? 'about:blank');
      if (redirect.hostname !== '127.0.0.1' || redirect.pathname !== '/callback' || q.get('code_challenge_method') !== 'S256' || !q.get('client_id')) {
        json(res, 400, { error: 'invalid_request' });
        return true;
      }
      const code = base64url(randomBytes(16));
      codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: redirect.href, clientId: q.get('client_id')!, scope: (q.get('scope') ?? '').split(' ').filter(Boolean), ...(q.get('nonce') ? { nonce: q.get('nonce')! } : {}) });
      redirect.search = new URLSearchParams({ code, state: q.get('state') ?? '', iss: deps.issuer() }).toString();
      res.writeHead(302, { location: redirect.href }).end();
      return true;
    }
    if (url.pathname === `${path}/token` && req.method === 'POST') {
      const form = await readBody(req);
      record.tokenRequests.push(form);
      const resource = form.get('resource');
      if (!resource) return json(res, 400, { error: 'invalid_target' }), true;
      if (form.get('grant_type') === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || grant.clientId !== form.get('client_id') || base64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) {
          return json(res, 400, { error: 'invalid_grant' }), true;
        }
        await issue(res, { ...grant, resource }, options.idTokenClaims ?? {});
        return true;
      }
      if (form.get('grant_type') === 'refresh_token') {
        const grant = refreshTokens.get(form.get('refresh_token') ?? '');
        // Rotation: a refresh token works once.
        refreshTokens.delete(form.get('refresh_token') ?? '');
        if (!grant) return json(res, 400, { error: 'invalid_grant' }), true;
        await issue(res, { ...grant, resource }, options.refreshIdTokenClaims ?? options.idTokenClaims ?? {});
        return true;
      }
      json(res, 400, { error: 'unsupported_grant_type' });
      return true;
    }
    if (url.pathname === `${path}/token/revocation` && req.method === 'POST' && options.revocation) {
      const form = await readBody(req);
      record.revocations.push(form);
      if (options.revocation === 'fail') {
        res.writeHead(503).end('revocation is down');
        return true;
      }
      refreshTokens.delete(form.get('token') ?? '');
      res.writeHead(200).end();
      return true;
    }
    return false;
  }

  return { record, handle };
}
