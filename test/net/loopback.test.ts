import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackUrl, parseHostHeader } from '../../src/net/loopback.js';

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1 in URL (bracketed) and listen-address spellings', () => {
    for (const host of ['localhost', 'LocalHost', '127.0.0.1', '127.255.0.9', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('refuses every other name and address, including DNS names that merely resolve to loopback', () => {
    for (const host of ['', '0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2', 'localhost.attacker.example', '127.0.0.1.nip.io', 'sub.localhost', '[::1', 'example.com']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('isLoopbackUrl', () => {
  it('looks at the URL host only', () => {
    expect(isLoopbackUrl('http://[::1]:3001/mcp')).toBe(true);
    expect(isLoopbackUrl(new URL('https://localhost/oidc'))).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1.nip.io/')).toBe(false);
    expect(isLoopbackUrl('http://localhost.attacker.example@evil.example/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});

describe('parseHostHeader', () => {
  it('splits host and port, brackets kept for IPv6', () => {
    expect(parseHostHeader('[::1]:3001')).toEqual({ hostname: '[::1]', port: '3001' });
    expect(parseHostHeader('LOCALHOST')).toEqual({ hostname: 'localhost', port: '' });
  });

  it('refuses anything but a bare host[:port], from which a parser could read another host', () => {
    for (const host of [undefined, '', 'evil.example@localhost', 'localhost/x', 'local host', 'a\\\\b', 'localhost?x', 'localhost:99999']) {
      expect(parseHostHeader(host), String(host)).toBeUndefined();
    }
  });
});
