import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** The proxy's address for `path`, on `localhost` (clients that insist on a loopback URL accept it). */
  url(path: string): string;
  /** Requests forwarded so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

export interface BearerProxyOptions {
  /** Origin of the real server, e.g. http://localhost:41234. */
  target: string;
  /** Access token to add as `Authorization: Bearer …` when the request carries none. */
  token: string;
}

/**
 * A loopback reverse proxy for clients that cannot send a token (the conformance suite): it adds
 * `Authorization` and otherwise forwards the request as it came — method, path, body and every
 * header including `Host` and `Origin` — so the server's own Host/Origin checks still decide, and
 * streams responses back unbuffered (SSE).
 */
export async function startBearerProxy(options: BearerProxyOptions): Promise<BearerProxy> {
  const target = new URL(options.target);
  let forwarded = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    forwarded += 1;
    const headers = { ...req.headers };
    headers.authorization ??= `Bearer ${options.token}`;
    const upstream = request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      // Flush headers now: an SSE stream may not send its first event for a while.
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    // The client went away (e.g. closed an SSE stream): close the upstream request too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://localhost:${port}${path}`,
    get forwarded() {
      return forwarded;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
