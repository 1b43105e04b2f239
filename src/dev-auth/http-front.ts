import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { isLoopbackHost, parseHostHeader } from '../net/loopback.js';
import type { Logger } from '../log/logger.js';
import { PAGE_HEADERS, STYLESHEET, STYLESHEET_PATH } from './html.js';
import { messagePage } from './pages.js';

/** Where the provider is mounted: the issuer is `${origin}${MOUNT_PATH}`, as Logto's `/oidc`. */
export const MOUNT_PATH = '/oidc';
/** RFC 8414 metadata for an issuer with a path lives at the root, path-suffixed. */
export const OAUTH_METADATA_PATH = `/.well-known/oauth-authorization-server${MOUNT_PATH}`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Hands a request to oidc-provider as if it were mounted at /oidc: the provider builds its endpoint
 * URLs from the part of `originalUrl` that precedes `url`, so both must be set.
 */
function forward(callback: Handler, req: IncomingMessage, res: ServerResponse, originalUrl: string, url: string): void {
  Object.assign(req, { originalUrl });
  req.url = url;
  callback(req, res);
}

/** Registration has no CORS in oidc-provider, yet browser-based MCP clients register from a page. */
function registrationCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'WWW-Authenticate');
  }
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type, authorization',
    'access-control-max-age': '3600',
  });
  res.end();
  return true;
}

/**
 * The server's front door: checks the Host (DNS-rebinding defence), pins the public origin so every
 * URL the provider prints matches the issuer, and routes to the provider, the interaction pages or
 * the stylesheet.
 */
export function createFrontHandler(options: {
  provider: Provider;
  publicOrigin: URL;
  /** The port listened on: a loopback name with this port is accepted as Host besides the public origin's. */
  port: number;
  interactions: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
  logger: Logger;
}): Handler {
  const callback = options.provider.callback() as Handler;
  const { publicOrigin } = options;
  const acceptsHost = (host: string | undefined) => {
    if (host === publicOrigin.host) return true;
    const parsed = parseHostHeader(host);
    return parsed !== undefined && isLoopbackHost(parsed.hostname) && (parsed.port || '80') === String(options.port);
  };
  const issuer = `${publicOrigin.origin}${MOUNT_PATH}`;

  return (req, res) => {
    if (!acceptsHost(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('Misdirected request: unexpected Host header.\n');
      return;
    }
    // The provider trusts these (proxy mode) to build URLs; they are ours to set, never the client's.
    req.headers['x-forwarded-host'] = publicOrigin.host;
    req.headers['x-forwarded-proto'] = publicOrigin.protocol.slice(0, -1);
    delete req.headers['x-forwarded-for'];

    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const pathname = queryAt === -1 ? raw : raw.slice(0, queryAt);
    const search = queryAt === -1 ? '' : raw.slice(queryAt);

    if (pathname === OAUTH_METADATA_PATH) {
      forward(callback, req, res, `${MOUNT_PATH}/.well-known/openid-configuration${search}`, `/.well-known/openid-configuration${search}`);
      return;
    }
    if (pathname.startsWith(`${MOUNT_PATH}/`)) {
      if (pathname === `${MOUNT_PATH}/reg` && registrationCors(req, res)) return;
      forward(callback, req, res, raw, raw.slice(MOUNT_PATH.length));
      return;
    }
    if (pathname === STYLESHEET_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : STYLESHEET);
      return;
    }
    if (pathname === '/' && req.method === 'GET') {
      res.writeHead(200, PAGE_HEADERS).end(messagePage('todo-mcp development authorization server', 'Sign-in pages open from your application.', { issuer }));
      return;
    }
    options
      .interactions(req, res, pathname)
      .then((handled) => {
        if (!handled) res.writeHead(404, PAGE_HEADERS).end(messagePage('Not found', 'There is nothing here.'));
      })
      .catch((error: unknown) => {
        options.logger.error({ component: 'dev-auth', err: error }, 'sign-in page failed');
        if (!res.headersSent) res.writeHead(500, PAGE_HEADERS).end(messagePage('Something went wrong', 'The sign-in page failed. Start again from your application.'));
        else res.destroy();
      });
  };
}
