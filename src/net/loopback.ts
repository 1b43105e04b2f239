import { BlockList, isIP } from 'node:net';

/**
 * This machine's addresses: 127.0.0.0/8 and ::1, whatever their spelling (`0:0:0:0:0:0:0:1`, the
 * IPv4-mapped `::ffff:127.0.0.1`). Read-only after construction.
 */
const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

/**
 * Whether `host` names this machine: `localhost`, an address in 127.0.0.0/8, or ::1. Takes a hostname
 * as URLs spell it (`[::1]`) and as listen addresses do (`::1`). Other names, even ones that resolve to
 * loopback, are not: a DNS name is what a rebinding attack controls.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  const family = isIP(name);
  if (family === 0) return false;
  return LOOPBACK_ADDRESSES.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether the absolute URL `value` points at this machine ({@link isLoopbackHost}); false when it does not parse. */
export function isLoopbackUrl(value: string | URL): boolean {
  try {
    return isLoopbackHost(new URL(value).hostname);
  } catch {
    return false;
  }
}

/**
 * The hostname and port of a Host header (`[::1]:3001` → `[::1]`, `3001`; port '' when absent), or
 * undefined when it is not a bare host[:port] (userinfo, a path or spaces would let a URL parser read
 * another host out of it).
 */
export function parseHostHeader(host: string | undefined): { hostname: string; port: string } | undefined {
  if (!host || /[\s@/\\?#]/.test(host)) return undefined;
  try {
    const url = new URL(`http://${host}`);
    return { hostname: url.hostname, port: url.port };
  } catch {
    return undefined;
  }
}
