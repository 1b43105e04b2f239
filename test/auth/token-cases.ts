import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import type { TestIssuer } from '../helpers/test-issuer.js';

/** The audience the test issuer puts in its tokens by default. */
export const AUDIENCE = 'http://localhost:3001';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSec = () => Math.floor(Date.now() / 1000);

/** A token the verifier must refuse, and the public description it must give. */
export interface RejectedTokenCase {
  readonly name: string;
  readonly make: (issuer: TestIssuer) => Promise<string>;
  readonly description: string;
}

/** Shared by the verifier tests and the HTTP middleware tests, so both layers see the same matrix. */
export const REJECTED_TOKENS: readonly RejectedTokenCase[] = [
  {
    name: 'expired',
    make: (i) => i.sign({ iat: nowSec() - 600, exp: nowSec() - 60 }),
    description: 'The access token expired',
  },
  {
    name: 'not yet valid (nbf)',
    make: (i) => i.sign({ nbf: nowSec() + 120 }),
    description: 'The access token is not valid yet',
  },
  {
    name: 'wrong issuer',
    make: (i) => i.sign({ iss: 'https://evil.example/oidc' }),
    description: 'The access token was not issued by the trusted issuer',
  },
  {
    name: 'wrong audience',
    make: (i) => i.sign({ aud: 'https://another-api.example' }),
    description: 'The access token is not for this resource',
  },
  {
    name: 'bad signature (other key, same kid)',
    make: async (i) => i.sign({}, { key: (await generateKeyPair('ES384')).privateKey }),
    description: 'The access token signature is invalid',
  },
  {
    name: 'alg none',
    make: async (i) => {
      const header = b64url({ alg: 'none', typ: 'at+jwt', kid: i.currentPublicJwk().kid });
      const payload = b64url({ iss: i.issuer, aud: AUDIENCE, sub: 'user-1', exp: nowSec() + 600, scope: 'create:todos' });
      return `${header}.${payload}.`;
    },
    description: 'The access token is signed with an algorithm this resource does not accept',
  },
  {
    name: 'HS256 with the public JWK as secret',
    make: (i) => hmacWith(i, new TextEncoder().encode(JSON.stringify(i.currentPublicJwk()))),
    description: 'The access token is signed with an algorithm this resource does not accept',
  },
  {
    name: 'HS256 with the public key PEM as secret',
    make: async (i) => {
      const publicKey = await importJWK(i.currentPublicJwk(), 'ES384', { extractable: true });
      return hmacWith(i, new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey)));
    },
    description: 'The access token is signed with an algorithm this resource does not accept',
  },
  {
    name: 'missing sub',
    make: (i) => i.sign({ sub: undefined }),
    description: 'The access token lacks a required claim',
  },
  {
    name: 'empty sub',
    make: (i) => i.sign({ sub: '' }),
    description: 'The access token has no subject',
  },
  {
    name: 'missing exp',
    make: (i) => i.sign({ exp: undefined }),
    description: 'The access token lacks a required claim',
  },
  {
    name: 'scope that is not a string',
    make: (i) => i.sign({ scope: ['create:todos'] as unknown as string }),
    description: 'The access token has an invalid claim',
  },
  {
    name: 'not a JWT at all',
    make: async () => 'opaque-token-value',
    description: 'The access token is malformed',
  },
];

function hmacWith(issuer: TestIssuer, secret: Uint8Array): Promise<string> {
  return new SignJWT({ iss: issuer.issuer, aud: AUDIENCE, sub: 'user-1', exp: nowSec() + 600, scope: 'create:todos read:todos delete:todos' })
    .setProtectedHeader({ alg: 'HS256', kid: issuer.currentPublicJwk().kid, typ: 'at+jwt' })
    .sign(secret);
}
