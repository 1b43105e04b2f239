import type { Request, RequestHandler } from 'express';
import type { Identity } from '../auth/identity.js';
import type { Logger } from '../log/logger.js';

/** Longest client-chosen text (path, JSON-RPC method, tool name) kept in a line. */
const MAX_FIELD = 120;
const bounded = (text: string) => (text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text);

/**
 * One `info` line per request once it is answered: method, path, JSON-RPC method and tool, the caller's
 * subject (absent when unauthenticated), status and milliseconds. Never a header, a token or a body. Mount
 * it only when `info` is enabled: then a request with the log off costs nothing at all.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const identity = res.locals.identity as Identity | undefined;
      logger.info(
        {
          method: req.method,
          path: bounded(req.path),
          ...rpcOf(req),
          ...(identity ? { sub: identity.sub } : {}),
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}

/** The JSON-RPC method (and tool) of a single request body; nothing for batches, responses and non-JSON. */
function rpcOf(req: Request): { rpc?: string; tool?: string } {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  if (typeof method !== 'string') return {};
  const tool = method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
  return tool === undefined ? { rpc: bounded(method) } : { rpc: bounded(method), tool: bounded(tool) };
}
