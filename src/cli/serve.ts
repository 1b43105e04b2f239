import chalk, { Chalk } from 'chalk';
import { AuthorizationServerDiscoveryError } from '../auth/discover-authorization-server.js';
import { ConfigError, loadConfigFile } from '../config/config-file.js';
import { resolveServeConfig, type ServeFlags } from '../config/serve-config.js';
import { startTodoServer } from '../server/start-todo-server.js';
import { StoreError } from '../store/todo-repository.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface ServeOptions extends ServeFlags {
  config?: string;
}

/** `todo-mcp serve`: runs until SIGINT/SIGTERM, then closes servers and the store cleanly. */
export async function serveCommand(options: ServeOptions, ctx: CliContext): Promise<number> {
  const color = chalk.level > 0 && ctx.stdout.isTTY === true;
  const paint = color ? chalk : new Chalk({ level: 0 });
  let running;
  try {
    const { config: file } = await loadConfigFile({ path: options.config ?? ctx.env.TODO_MCP_CONFIG, cwd: ctx.cwd });
    const config = resolveServeConfig({ flags: options, env: ctx.env, file, cwd: ctx.cwd });
    running = await startTodoServer({ config, log: (line) => ctx.stdout.write(`${line}\n`) });
  } catch (error) {
    throw translate(error);
  }

  if (running.devAuth) ctx.stdout.write(`${running.devAuth.banner}\n`);
  ctx.stdout.write(
    [
      `${paint.green('todo-mcp')} MCP server listening`,
      `  MCP endpoint     ${paint.cyan(running.mcpUrl)}`,
      `  resource         ${running.resource}`,
      `  trusted issuer   ${running.issuer}`,
      `  todos stored in  ${running.store}`,
      '',
    ].join('\n'),
  );

  const signal = await ctx.stopSignal;
  ctx.stdout.write(`Received ${signal}, shutting down.\n`);
  await running.close();
  return EXIT.ok;
}

function translate(error: unknown): unknown {
  if (error instanceof ConfigError) return new CliError(error.message, EXIT.usage, { cause: error });
  if (error instanceof StoreError) return new CliError(error.message, EXIT.startFailed, { cause: error });
  if (error instanceof AuthorizationServerDiscoveryError) {
    return new CliError(`Cannot reach the authorization server. ${error.message}\nCheck --issuer (or TODO_MCP_ISSUER).`, EXIT.unreachable, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    return new CliError(`Cannot listen on ${address ?? ''}:${port ?? ''} (${code}). Choose another --port / --auth-port or stop the other process.`, EXIT.startFailed, { cause: error });
  }
  return error;
}
