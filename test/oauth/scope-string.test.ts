import { describe, expect, it } from 'vitest';
import { parseScopeString } from '../../src/oauth/scope-string.js';

describe('parseScopeString', () => {
  it('splits on spaces, ignoring repeated ones, and keeps order', () => {
    expect(parseScopeString('create:todos  read:todos offline_access ')).toEqual(['create:todos', 'read:todos', 'offline_access']);
    expect(parseScopeString('')).toEqual([]);
  });

  it('tells "no scope" (not a string) from an empty one', () => {
    expect(parseScopeString(undefined)).toBeUndefined();
    expect(parseScopeString(['create:todos'])).toBeUndefined();
  });
});
