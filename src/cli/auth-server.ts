import { resolve } from 'node:path';
import { DEFAULTS, defaultResource } from '../config/defaults.js';
import { devAuthDataDir } from '../server/start-todo-server.js';
import { InterruptedError, whenAborted } from '../errors/interrupted.js';
import { EXIT } from './cli-error.js';
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
}

/** `todo-mcp auth-server`: the embedded development authorization server on its own. */
export async function authServerCommand(options: AuthServerOptions, ctx: CliContext): Promise<number> {
  let server;
  try {
    const [{ startDevAuthServer }, { formatDevAuthBanner }] = await Promise.all([import('../dev-auth/start-dev-auth-server.js'), import('../dev-auth/banner.js')]);
    server = await startDevAuthServer({
      port: options.authPort,
      resources: [options.resource ?? defaultResource(options.port === 0 ? DEFAULTS.port : options.port)],
      dataDir: devAuthDataDir(resolve(ctx.cwd, options.data)),
      log: (line) => ctx.stderr.write(`${line}\n`),
    });
    ctx.stdout.write(`${formatDevAuthBanner(server)}\n`);
  } catch (error) {
    throw translateStartError(error);
  }
  // The first SIGINT/SIGTERM is a graceful shutdown here, not an interruption (main exits at the second).
  const reason = await whenAborted(ctx.signal);
  ctx.stdout.write(`Received ${reason instanceof InterruptedError ? reason.signalName : 'a stop request'}, shutting down.\n`);
  await server.close();
  return EXIT.ok;
}
