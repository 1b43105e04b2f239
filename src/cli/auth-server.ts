import { loadConfigFile } from '../config/config-file.js';
import { resolveServeConfig } from '../config/serve-config.js';
import { devAuthDataDir } from '../server/start-todo-server.js';
import { EXIT } from './cli-error.js';
import { translateStartError } from './start-error.js';
import type { CliContext } from './context.js';

export interface AuthServerOptions {
  authPort?: string;
  resource?: string;
  data?: string;
  config?: string;
}

/** `todo-mcp auth-server`: the embedded development authorization server on its own. */
export async function authServerCommand(options: AuthServerOptions, ctx: CliContext): Promise<number> {
  let server;
  try {
    const { config: file } = await loadConfigFile({ path: options.config ?? ctx.env.TODO_MCP_CONFIG, cwd: ctx.cwd });
    const config = resolveServeConfig({ flags: options, env: ctx.env, file, cwd: ctx.cwd });
    const { startDevAuthServer, formatDevAuthBanner } = await import('../dev-auth/index.js');
    server = await startDevAuthServer({
      port: config.authPort,
      resources: [config.resource ?? 'http://localhost:3001'],
      dataDir: devAuthDataDir(config.dataFile),
      log: (line) => ctx.stderr.write(`${line}\n`),
    });
    ctx.stdout.write(`${formatDevAuthBanner(server)}\n`);
  } catch (error) {
    throw translateStartError(error);
  }
  const signal = await ctx.stopSignal;
  ctx.stdout.write(`Received ${signal}, shutting down.\n`);
  await server.close();
  return EXIT.ok;
}
