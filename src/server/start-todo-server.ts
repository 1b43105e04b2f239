import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { ServeConfig } from '../config/serve-config.js';
import { createAuthFromIssuer } from '../auth/create-auth-from-issuer.js';
import { closeNow, listen } from '../net/http-server.js';
import { isLoopbackHost } from '../net/loopback.js';
import { openTodoRepository } from '../store/open-todo-repository.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { createApp } from './create-app.js';

/** A running todo MCP server (and, on the embedded default, its development authorization server). */
export interface RunningTodoServer {
  /** The MCP endpoint, e.g. http://localhost:3001/mcp */
  readonly mcpUrl: string;
  readonly port: number;
  readonly resource: string;
  readonly issuer: string;
  /** Set when the embedded development authorization server was started. */
  readonly devAuth: { issuer: string; port: number; banner: string } | undefined;
  /** Where todos live: the JSON file's path, or the PostgreSQL connection string with its password masked. */
  readonly store: string;
  close(): Promise<void>;
}

export interface StartTodoServerOptions {
  config: ServeConfig;
  /** Request lines, warnings and errors of the server, its store and the embedded authorization server. Default: nowhere. */
  logger?: Logger;
  /** Data directory of the embedded authorization server. Default: `dev-auth/` beside the todos file. */
  devAuthDataDir?: string;
  /** Least time between two JWKS fetches triggered by unknown key ids. Default: the verifier's (30 s). */
  jwksCooldownMs?: number;
}

/** Where the embedded authorization server keeps its keys and state: `dev-auth/` beside the todos file. */
export function devAuthDataDir(dataFile: string): string {
  return join(dirname(dataFile), 'dev-auth');
}

/**
 * Opens the store, binds the port, brings up (or discovers) the authorization server, then starts answering.
 * The port is bound before the resource identifier is fixed so that `--port 0` gets a matching default resource.
 */
export async function startTodoServer(options: StartTodoServerOptions): Promise<RunningTodoServer> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };

  try {
    const { todos, location: store } = await openTodoRepository({ store: config.store, dataFile: config.dataFile, postgres: { logger, ...(config.pgPoolSize === undefined ? {} : { poolSize: config.pgPoolSize }) } });
    cleanups.push(() => todos.close());

    let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
    const http = createServer((req, res) => {
      if (handler) return handler(req, res);
      res.writeHead(503, { 'retry-after': '1' }).end();
    });
    http.keepAliveTimeout = 30_000;
    const port = await listen(http, config.port, config.host);
    cleanups.push(() => closeNow(http));
    const resource = config.resource ?? `http://localhost:${port}`;

    let issuer = config.issuer;
    let devAuth: RunningTodoServer['devAuth'];
    if (!issuer) {
      const [{ startDevAuthServer }, { formatDevAuthBanner }] = await Promise.all([import('../dev-auth/start-dev-auth-server.js'), import('../dev-auth/banner.js')]);
      const server = await startDevAuthServer({
        port: config.authPort,
        resources: [resource],
        dataDir: options.devAuthDataDir ?? devAuthDataDir(config.dataFile),
        logger,
      });
      cleanups.push(() => server.close());
      issuer = server.issuer;
      devAuth = { issuer: server.issuer, port: server.port, banner: formatDevAuthBanner(server) };
    }

    const { verifier } = await createAuthFromIssuer({ issuer, audience: resource, jwksCooldownMs: options.jwksCooldownMs });
    const { app, close: closeSessions } = createApp({
      config: {
        resource,
        issuer,
        allowedOrigins: config.allowedOrigins,
        loopbackOnly: isLoopbackHost(config.host),
        stateless: config.stateless,
      },
      verifier,
      todos,
      logger,
    });
    cleanups.push(closeSessions);
    handler = app;

    return {
      mcpUrl: `http://localhost:${port}/mcp`,
      port,
      resource,
      issuer,
      devAuth,
      store,
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
