import { describe, expect, it } from 'vitest';
import { parseBearerChallenge, parseWwwAuthenticate } from '../../src/client/bearer-challenge.js';

describe('WWW-Authenticate parsing', () => {
  it('reads an insufficient_scope challenge with quoted, escaped and unquoted values', () => {
    const header = 'Bearer error="insufficient_scope", error_description="needs \\"create:todos\\", sorry", scope="create:todos read:todos", resource_metadata="https://h/.well-known/oauth-protected-resource"';
    expect(parseBearerChallenge(header)).toEqual({
      error: 'insufficient_scope',
      errorDescription: 'needs "create:todos", sorry',
      scope: ['create:todos', 'read:todos'],
      resourceMetadata: 'https://h/.well-known/oauth-protected-resource',
    });
    expect(parseBearerChallenge('Bearer error=invalid_token')).toEqual({ error: 'invalid_token' });
  });

  it('finds Bearer among several challenges, whatever the case of the scheme', () => {
    const header = 'Basic realm="x", Negotiate abc==, bearer realm="api", scope="a"';
    expect(parseWwwAuthenticate(header).map((c) => c.scheme)).toEqual(['basic', 'negotiate', 'bearer']);
    expect(parseBearerChallenge(header)).toEqual({ scope: ['a'] });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
  });

  it('survives malformed input', () => {
    expect(parseBearerChallenge('Bearer scope="unterminated')).toEqual({ scope: ['unterminated'] });
    expect(parseBearerChallenge('Bearer')).toEqual({});
    expect(() => parseWwwAuthenticate('=,,"')).not.toThrow();
  });
});
