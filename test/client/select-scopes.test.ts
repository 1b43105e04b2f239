import { describe, expect, it } from 'vitest';
import { selectScopes, splitScopes } from '../../src/client/select-scopes.js';

describe('scope selection (MCP 2025-11-25 strategy)', () => {
  it('prefers the challenge, then the resource\'s scopes_supported, else omits scope', () => {
    expect(selectScopes({ challenge: ['a'], resource: ['a', 'b'] })).toEqual(['a']);
    expect(selectScopes({ resource: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(selectScopes({})).toEqual([]);
  });

  it('adds offline_access only when the authorization server lists it', () => {
    expect(selectScopes({ resource: ['a'], authorizationServer: ['offline_access'] })).toEqual(['a', 'offline_access']);
    expect(selectScopes({ resource: ['a'], authorizationServer: ['email'] })).toEqual(['a']);
    expect(selectScopes({ resource: ['a'] })).toEqual(['a']);
  });

  it('adds openid and profile (for the user\'s name) only when the authorization server lists them, profile only with openid', () => {
    expect(selectScopes({ resource: ['a'], authorizationServer: ['openid', 'profile', 'offline_access'] })).toEqual(['a', 'openid', 'profile', 'offline_access']);
    expect(selectScopes({ resource: ['a'], authorizationServer: ['openid', 'offline_access'] })).toEqual(['a', 'openid', 'offline_access']);
    expect(selectScopes({ resource: ['a'], authorizationServer: ['profile'] })).toEqual(['a']);
    expect(selectScopes({ explicit: ['x'], authorizationServer: ['openid', 'profile'] })).toEqual(['x', 'openid', 'profile']);
    // A step-up keeps them once.
    expect(selectScopes({ previous: ['a', 'openid', 'profile'], challenge: ['b'], authorizationServer: ['openid', 'profile'] })).toEqual(['a', 'openid', 'profile', 'b']);
  });

  it('keeps the previous scopes on a step-up, and --scope replaces everything', () => {
    expect(selectScopes({ previous: ['read', 'offline_access'], challenge: ['create'], authorizationServer: ['offline_access'] })).toEqual(['read', 'offline_access', 'create']);
    expect(selectScopes({ explicit: ['x'], challenge: ['a'], resource: ['b'] })).toEqual(['x']);
  });

  it('splits space- or comma-separated lists', () => {
    expect(splitScopes('a, b  c,d')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitScopes(undefined)).toEqual([]);
  });
});
