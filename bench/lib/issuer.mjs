import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A minimal authorization server for the bench: one ES384 key (what Logto signs with), RFC 8414 metadata
 * and the JWKS over HTTP on 127.0.0.1, and `sign` to mint access tokens shaped like Logto's. It counts
 * JWKS requests so the bench can show how often a resource server fetched the keys.
 */
export async function startBenchIssuer({ path = '/oidc' } = {}) {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  const kid = `bench-${Date.now().toString(36)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
  let jwksFetches = 0;
  let issuer = '';

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    if (pathname === `/.well-known/oauth-authorization-server${path}` || pathname === `${path}/.well-known/openid-configuration`) {
      const metadata = {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata));
      return;
    }
    if (pathname === `${path}/jwks`) {
      jwksFetches += 1;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}${path}`;

  return {
    issuer,
    metadata: { issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` },
    get jwksFetches() {
      return jwksFetches;
    },
    /** An access token for `audience`, valid for an hour unless `claims` say otherwise. */
    sign({ audience, sub = 'bench-user', scope = 'create:todos read:todos delete:todos', ...claims }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: audience, sub, scope, client_id: 'bench-client', iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'ES384', kid, typ: 'at+jwt' })
        .sign(privateKey);
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
