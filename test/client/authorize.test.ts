import { describe, expect, it } from 'vitest';
import { checkAuthorizationResponseIssuer } from '../../src/client/authorize.js';

const url = (params: Record<string, string>) => new URL(`http://127.0.0.1:1/callback?${new URLSearchParams(params)}`);

describe('RFC 9207 iss check on the redirect', () => {
  it('requires iss when the server advertises it, and it must be the issuer', () => {
    const metadata = { issuer: 'https://as/oidc', authorization_response_iss_parameter_supported: true };
    expect(() => checkAuthorizationResponseIssuer(url({ code: 'c', iss: 'https://as/oidc' }), metadata)).not.toThrow();
    expect(() => checkAuthorizationResponseIssuer(url({ code: 'c' }), metadata)).toThrow(expect.objectContaining({ code: 'issuer_mismatch' }));
    expect(() => checkAuthorizationResponseIssuer(url({ code: 'c', iss: 'https://evil' }), metadata)).toThrow(expect.objectContaining({ code: 'issuer_mismatch' }));
  });

  it('checks iss when present even if not advertised, and accepts its absence then', () => {
    const metadata = { issuer: 'https://as' };
    expect(() => checkAuthorizationResponseIssuer(url({ code: 'c' }), metadata)).not.toThrow();
    expect(() => checkAuthorizationResponseIssuer(url({ code: 'c', iss: 'https://mix-up' }), metadata)).toThrow(expect.objectContaining({ code: 'issuer_mismatch' }));
  });
});
