import { importJWK, type JWK } from 'jose';
import { DEFAULT_ALGORITHMS } from '../auth/token-verifier.js';
import { fetchJsonObject, type FetchAttempt } from '../http/fetch-json-object.js';
import { discoverAuthorizationServer, type AuthorizationServerDiscovery, type AuthorizationServerMetadata } from '../oauth/discover-authorization-server.js';
import { error, ok, type DoctorCheck } from './check.js';

const ISSUER_FIX = 'Check that the issuer is up and that --issuer is its exact issuer identifier (Logto: https://<tenant>.logto.app/oidc).';

/** `url → outcome; …` for a check's detail. */
const tried = (attempts: readonly FetchAttempt[]) => attempts.map((a) => `${a.url} → ${a.outcome}`).join('; ');

/** The discovery check: which URL answered (and which did not before it), or why none would do. */
function discoveryCheck(issuer: string, found: AuthorizationServerDiscovery): DoctorCheck {
  const title = 'Authorization server discovery';
  switch (found.outcome) {
    case 'found': {
      const before = found.attempts.slice(0, -1);
      return ok('issuer', title, `${issuer} described at ${found.url}${before.length > 0 ? ` (tried first: ${tried(before)})` : ''}.`);
    }
    case 'invalid_issuer':
      return error('issuer', title, `The issuer ${JSON.stringify(issuer)} named by the resource metadata is not usable: ${found.problem}.`, ISSUER_FIX);
    case 'issuer_mismatch':
      return error(
        'issuer',
        title,
        `The metadata at ${found.url} names the issuer ${JSON.stringify(found.named)}, not ${JSON.stringify(issuer)}; they must be identical (RFC 8414 §3.3).`,
        ISSUER_FIX,
      );
    case 'not_found':
      return error('issuer', title, `${found.unreachable ? 'Nothing answered' : 'No metadata found'} for ${issuer}: ${tried(found.attempts)}.`, ISSUER_FIX);
  }
}

/** Issuer discovery (which URLs were tried and which answered), PKCE S256, and a JWKS with usable asymmetric keys. */
export async function checkAuthorizationServer(issuer: string, timeoutMs: number): Promise<{ checks: DoctorCheck[]; metadata?: AuthorizationServerMetadata; keys?: JWK[] }> {
  const found = await discoverAuthorizationServer(issuer, { timeoutMs });
  const checks: DoctorCheck[] = [discoveryCheck(issuer, found)];
  if (found.outcome !== 'found') return { checks };
  const { metadata } = found;

  const methods = metadata.code_challenge_methods_supported ?? [];
  checks.push(
    methods.includes('S256')
      ? ok('pkce', 'PKCE S256 offered', `code_challenge_methods_supported: ${methods.join(', ')}.`)
      : error('pkce', 'PKCE S256 offered', `code_challenge_methods_supported is ${methods.length ? methods.join(', ') : 'missing'}; MCP clients must refuse such a server.`, 'Enable PKCE with S256 at the authorization server.'),
  );

  const jwksUri = metadata.jwks_uri;
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    checks.push(error('jwks', 'Signing keys (JWKS)', `The metadata at ${found.url} has no usable jwks_uri.`, 'Publish jwks_uri in the metadata; without keys no token verifies.'));
    return { checks, metadata };
  }
  const jwks = await fetchJsonObject(fetch, jwksUri, timeoutMs);
  if (!jwks.ok) {
    checks.push(
      jwks.network
        ? error('jwks', 'Signing keys (JWKS)', `${jwksUri} did not answer (${jwks.outcome}).`, 'The resource server needs the JWKS to verify every token: make it reachable from here.')
        : error('jwks', 'Signing keys (JWKS)', `${jwksUri} answered ${jwks.outcome}.`, 'Fix jwks_uri at the authorization server; without keys no token verifies.'),
    );
    return { checks, metadata };
  }
  const keys = Array.isArray(jwks.body.keys) ? (jwks.body.keys as JWK[]) : [];
  const usable: string[] = [];
  for (const key of keys) {
    const alg = key.alg;
    if (key.use === 'enc' || (alg && !DEFAULT_ALGORITHMS.includes(alg))) continue;
    try {
      await importJWK(key, alg ?? (key.kty === 'RSA' ? 'RS256' : key.crv === 'P-384' ? 'ES384' : key.crv === 'P-521' ? 'ES512' : key.kty === 'OKP' ? 'EdDSA' : 'ES256'));
      usable.push(`${key.kid ?? '(no kid)'} ${alg ?? key.kty}`);
    } catch {
      // not importable: not usable
    }
  }
  checks.push(
    usable.length > 0
      ? ok('jwks', 'Signing keys (JWKS)', `${usable.length} usable key(s): ${usable.join(', ')}.`)
      : error('jwks', 'Signing keys (JWKS)', `${jwksUri} has no usable asymmetric signing key.`, 'Publish the signing keys (EC or RSA) in the JWKS.'),
  );
  return { checks, metadata, keys };
}
