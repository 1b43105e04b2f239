import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/auth/oauth-error.js';
import { buildWwwAuthenticate, quotedString } from '../../src/auth/www-authenticate.js';

const PRM = 'https://mcp.example/.well-known/oauth-protected-resource';

describe('buildWwwAuthenticate', () => {
  it('has no error code when there were no credentials', () => {
    expect(buildWwwAuthenticate({ resourceMetadataUrl: PRM, scope: ['a', 'b'] })).toBe(`Bearer scope="a b", resource_metadata="${PRM}"`);
    expect(buildWwwAuthenticate({ resourceMetadataUrl: PRM })).toBe(`Bearer resource_metadata="${PRM}"`);
  });

  it('carries error and error_description for an error', () => {
    const error = new OAuthError('invalid_token', 'The access token expired');
    expect(buildWwwAuthenticate({ resourceMetadataUrl: PRM, error })).toBe(
      `Bearer error="invalid_token", error_description="The access token expired", resource_metadata="${PRM}"`,
    );
  });

  it("uses insufficient_scope's own scope over the default", () => {
    const error = new OAuthError('insufficient_scope', 'Needs more', { scope: ['create:todos'] });
    expect(buildWwwAuthenticate({ resourceMetadataUrl: PRM, scope: ['read:todos'], error })).toBe(
      `Bearer error="insufficient_scope", error_description="Needs more", scope="create:todos", resource_metadata="${PRM}"`,
    );
  });

  it('escapes quotes and backslashes and strips CR, LF and other control or non-ASCII characters', () => {
    const error = new OAuthError('invalid_token', 'a"b\\c\r\nSet-Cookie: x=1\u0000\u00e9\t');
    const header = buildWwwAuthenticate({ resourceMetadataUrl: `${PRM}"\r\nX: y`, error });
    expect(header).toBe(
      `Bearer error="invalid_token", error_description="a\\"b\\\\cSet-Cookie: x=1", resource_metadata="${PRM}\\"X: y"`,
    );
    expect(header).not.toMatch(/[\r\n\u0000-\u001f\u007f-\uffff]/);
  });

  it('caps long values', () => {
    expect(quotedString('x'.repeat(1000), 20)).toBe(`"${'x'.repeat(17)}..."`);
    const error = new OAuthError('invalid_token', '"'.repeat(1000));
    const description = /error_description="((?:[^"\\]|\\.)*)"/.exec(buildWwwAuthenticate({ resourceMetadataUrl: PRM, error }))?.[1] ?? '';
    expect(description.length).toBeLessThanOrEqual(2 * 256);
  });
});
