import type { RequestHandler } from 'express';
import { JSON_RPC, sendJsonRpcError } from '../http/json-rpc-error.js';
import { isLoopbackHost, isLoopbackUrl, parseHostHeader } from '../net/loopback.js';

/** True for http(s) origins on a loopback host, any port. */
function isLoopbackOrigin(origin: string): boolean {
  return /^https?:\/\//i.test(origin) && isLoopbackUrl(origin);
}

/** Whether a browser at `origin` may call the MCP endpoint: loopback pages and the configured extra origins. */
export function createOriginPolicy(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '')));
  return (origin: string): boolean => allowed.has(origin) || isLoopbackOrigin(origin);
}

/**
 * DNS-rebinding defence for the MCP endpoint (MCP Streamable HTTP: servers MUST validate Origin).
 * A request without Origin (not a browser) passes; a browser request from elsewhere gets 403.
 */
export function originGuard(isAllowed: (origin: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || isAllowed(origin)) return next();
    sendJsonRpcError(res, 403, JSON_RPC.serverError, 'Forbidden: this Origin may not call the MCP endpoint (see --allowed-origin).');
  };
}

/**
 * When the server listens on loopback, only loopback Host headers (and the public resource's host) are
 * answered: a rebound DNS name pointing at 127.0.0.1 carries its own Host and is refused.
 */
export function hostGuard(allowedHostnames: readonly string[]): RequestHandler {
  const allowed = new Set(allowedHostnames);
  const admits = (host: string | undefined): boolean => {
    const hostname = parseHostHeader(host)?.hostname;
    return hostname !== undefined && (isLoopbackHost(hostname) || allowed.has(hostname));
  };
  // The verdict depends on the header's text alone, and clients send the same one on every request:
  // remembered, it saves a URL parse and an address-list lookup (≈13 µs, 2% of a get-todos call).
  // Bounded, so that a client sending endless distinct Host headers cannot grow it.
  const verdicts = new Map<string, boolean>();
  return (req, res, next) => {
    const host = req.headers.host;
    let ok = host === undefined ? undefined : verdicts.get(host);
    if (ok === undefined) {
      ok = admits(host);
      if (host !== undefined) {
        if (verdicts.size >= 64) verdicts.clear();
        verdicts.set(host, ok);
      }
    }
    if (ok) return next();
    sendJsonRpcError(res, 403, JSON_RPC.serverError, 'Forbidden: unexpected Host header for a loopback server.');
  };
}
