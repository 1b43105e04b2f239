import type { Request, RequestHandler } from 'express';
import type { Identity } from '../auth/identity.js';

/** One line per request: method, path, JSON-RPC method and tool, subject, status, duration. Never headers. */
export function requestLog(log: (line: string) => void): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const identity = res.locals.identity as Identity | undefined;
      const parts = [req.method, req.path, describeRpc(req), identity ? `sub=${sanitize(identity.sub)}` : 'sub=-', String(res.statusCode), `${ms.toFixed(1)}ms`];
      log(parts.filter(Boolean).join(' '));
    });
    next();
  };
}

function describeRpc(req: Request): string {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return '';
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  if (typeof method !== 'string') return '';
  const tool = method === 'tools/call' && typeof params?.name === 'string' ? ` ${params.name}` : '';
  return sanitize(`${method}${tool}`);
}

/** Keeps client-chosen text from forging log lines. */
function sanitize(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
