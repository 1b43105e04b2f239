import { resolve } from 'node:path';
import { DEFAULTS, defaultResource } from '../config/defaults.js';
import { devAuthDataDir } from '../server/start-todo-server.js';
import { InterruptedError, whenAborted } from '../errors/interrupted.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import { EXIT } from './cli-error.js';
import { serveLogger } from './serve-logger.js';
import { translateStartError } from './start-error.js';
import type { CliContext } from './context.js';

export interface AuthServerOptions {
  /** Port to listen on. */
  authPort: number;
  /** The resource indicator it issues tokens for. Default: `http://localhost:<port>`. */
  resource?: string | undefined;
  /** The MCP server's port, for the default resource (0, any free port, says nothing: then 3001's). */
  port: number;
  /** The todos file; the server's state lives in dev-auth/ beside it. Relative to the working directory. */
  data: string;
  /** Least severe log line written. */
  logLevel: LogLevel;
  /** Undefined: pretty on a terminal, else JSON. */
  logFormat?: LogFormat | undefined;
}

/** `todo-mcp auth-server`: the embedded development authorization server on its own. */
export async function authServerCommand(options: AuthServerOptions, ctx: CliContext): Promise<number> {
  let server;
  let logger;
  try {
    logger = serveLogger(options, ctx);
    const [{ startDevAuthServer }, { formatDevAuthBanner }] = await Promise.all([import('../dev-auth/start-dev-auth-server.js'), import('../dev-auth/banner.js')]);
    server = await startDevAuthServer({
      port: options.authPort,
      resources: [options.resource ?? defaultResource(options.port === 0 ? DEFAULTS.port : options.port)],
      dataDir: devAuthDataDir(resolve(ctx.cwd, options.data)),
      logger,
    });
    ctx.stdout.write(`${formatDevAuthBanner(server)}\n`);
  } catch (error) {
    await logger?.close();
    throw translateStartError(error);
  }
  // The first SIGINT/SIGTERM is a graceful shutdown here, not an interruption (main exits at the second).
  const reason = await whenAborted(ctx.signal);
  logger.info({ signal: reason instanceof InterruptedError ? reason.signalName : 'stop request' }, 'shutting down');
  await server.close();
  await logger.close();
  return EXIT.ok;
}
