import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { DEFAULT_ALGORITHMS } from '../auth/token-verifier.js';
import { parseScopeString } from '../oauth/scope-string.js';
import { rolesGranting } from '../policy/roles.js';
import { TOOL_POLICY } from '../policy/tool-policy.js';
import { error, ok, warning, type DoctorCheck } from './check.js';

export interface CachedToken {
  accessToken: string;
  hasRefreshToken: boolean;
}

/**
 * The cached access token, read as the resource server will read it: a JWT (not opaque), from the
 * expected issuer, for this resource, unexpired, correctly signed, and with the scopes each tool needs.
 */
export async function checkCachedToken(
  token: CachedToken | undefined,
  expected: { issuer?: string; resource: string; keys?: JWK[]; now?: number },
): Promise<{ checks: DoctorCheck[]; usable: boolean }> {
  if (!token) {
    return { usable: false, checks: [warning('token', 'Cached login', 'No cached token for this server.', 'Run `todo-mcp login` to sign in; the test call is skipped.')] };
  }
  let payload: JWTPayload;
  try {
    decodeProtectedHeader(token.accessToken);
    payload = decodeJwt(token.accessToken);
  } catch {
    return {
      usable: false,
      checks: [
        error(
          'token-format',
          'Access token is a JWT',
          'The cached access token is opaque (not a JWT): the resource server cannot verify it.',
          'The provider issues JWT access tokens only for an API resource: request the token with `resource` = the resource identifier (Logto: create the API resource with that exact indicator), then `todo-mcp login` again.',
        ),
      ],
    };
  }
  const checks: DoctorCheck[] = [ok('token-format', 'Access token is a JWT', `sub ${payload.sub ?? '(none)'}, client ${String(payload.client_id ?? '(none)')}.`)];
  let usable = true;
  if (expected.issuer && payload.iss !== expected.issuer) {
    usable = false;
    checks.push(error('token-iss', 'Token issuer', `iss is ${JSON.stringify(payload.iss)}; the server trusts ${expected.issuer}.`, 'Log in again against the server\'s authorization server: `todo-mcp logout && todo-mcp login`.'));
  } else {
    checks.push(ok('token-iss', 'Token issuer', String(payload.iss)));
  }
  const aud = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
  if (!aud.includes(expected.resource)) {
    usable = false;
    checks.push(
      error(
        'token-aud',
        'Token audience = resource',
        `aud is ${JSON.stringify(payload.aud)}; this server is ${JSON.stringify(expected.resource)}. The token was issued for another audience.`,
        'Make the provider\'s API resource indicator exactly the server\'s resource (watch trailing slashes), then `todo-mcp login` again.',
      ),
    );
  } else {
    checks.push(ok('token-aud', 'Token audience = resource', expected.resource));
  }
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number') {
    usable = false;
    checks.push(error('token-exp', 'Token expiry', 'The token has no exp claim; the server refuses it.', 'Configure the provider to issue expiring access tokens.'));
  } else if (payload.exp <= now) {
    const ago = `${Math.round((now - payload.exp) / 60)} min ago`;
    if (token.hasRefreshToken) {
      checks.push(warning('token-exp', 'Token expiry', `The access token expired ${ago}; a refresh token is cached.`, 'Nothing to do: the next call refreshes it (`todo-mcp token` does it now).'));
    } else {
      usable = false;
      checks.push(error('token-exp', 'Token expiry', `The access token expired ${ago} and there is no refresh token.`, 'Run `todo-mcp login` again (ask for offline_access to get refresh tokens).'));
    }
  } else {
    checks.push(ok('token-exp', 'Token expiry', `valid for ${Math.round((payload.exp - now) / 60)} more min.`));
  }
  if (expected.keys && expected.issuer && usable) {
    try {
      await jwtVerify(token.accessToken, createLocalJWKSet({ keys: expected.keys }), { issuer: expected.issuer, audience: expected.resource, algorithms: [...DEFAULT_ALGORITHMS] });
      checks.push(ok('token-signature', 'Token signature', 'verifies against the published JWKS.'));
    } catch (cause) {
      usable = false;
      checks.push(error('token-signature', 'Token signature', `does not verify against the published JWKS (${(cause as { code?: string }).code ?? 'error'}).`, 'The key that signed it is not published (or the token was altered): `todo-mcp login` again.'));
    }
  }
  const scopes = parseScopeString(payload.scope) ?? [];
  for (const [tool, policy] of Object.entries(TOOL_POLICY)) {
    const missing = policy.required.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      checks.push(
        error(
          `scope-${tool}`,
          `Scopes for ${tool}`,
          `The token lacks ${missing.join(' ')} (granted: ${scopes.join(' ') || 'none'}).`,
          `Give the user a role that grants ${missing.join(' ')} (${rolesGranting(missing[0]!).join(' or ')}; in Logto make User the default role), then \`todo-mcp login\` again.`,
        ),
      );
    } else {
      const narrowed = policy.widens.filter((s) => !scopes.includes(s));
      checks.push(ok(`scope-${tool}`, `Scopes for ${tool}`, narrowed.length ? `allowed, limited to your own todos (no ${narrowed.join(' ')})` : 'allowed for every todo'));
    }
  }
  return { checks, usable };
}

