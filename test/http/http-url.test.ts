import { describe, expect, it } from 'vitest';
import { httpUrlProblem } from '../../src/http/http-url.js';

describe('httpUrlProblem', () => {
  it('accepts absolute http(s) URLs, paths and queries included', () => {
    for (const url of ['http://localhost:3001', 'https://api.example.com/mcp?x=1', 'http://[::1]:3001/']) expect(httpUrlProblem(url), url).toBeUndefined();
  });

  it('names what is wrong: not absolute, another scheme, a fragment (even an empty one)', () => {
    expect(httpUrlProblem('localhost:3001/mcp')).toBe('must be an http(s) URL'); // parses, as scheme "localhost:"
    expect(httpUrlProblem('/mcp')).toBe('must be an absolute http(s) URL');
    expect(httpUrlProblem('urn:example:resource')).toBe('must be an http(s) URL');
    expect(httpUrlProblem('https://api.example.com/#top')).toBe('must not contain a fragment (#…)');
    expect(httpUrlProblem('https://api.example.com/#')).toBe('must not contain a fragment (#…)');
  });
});
