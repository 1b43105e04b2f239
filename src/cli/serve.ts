import type { ValueSource } from '../config/config-file.js';
import { resolveServeConfig, type ServeOptionValues } from '../config/serve-config.js';
import { startTodoServer } from '../server/start-todo-server.js';
import { InterruptedError, whenAborted } from '../errors/interrupted.js';
import { EXIT } from './cli-error.js';
import { painter } from './painter.js';
import { serveLogger } from './serve-logger.js';
import { translateStartError } from './start-error.js';
import type { CliContext } from './context.js';

export interface ServeOptions extends ServeOptionValues {
  /** Where `store` and `data` came from (a file path in either names the data file). */
  sourceOf: (key: 'store' | 'data') => ValueSource;
}

/** `todo-mcp serve`: runs until SIGINT/SIGTERM, then closes servers and the store cleanly. */
export async function serveCommand(options: ServeOptions, ctx: CliContext): Promise<number> {
  const paint = painter(ctx.stdout, ctx.env);
  let running;
  let logger;
  try {
    const config = resolveServeConfig({ options, sourceOf: options.sourceOf, cwd: ctx.cwd });
    logger = serveLogger(config, ctx);
    running = await startTodoServer({ config, logger });
  } catch (error) {
    await logger?.close();
    throw translateStartError(error);
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
  // The banner is for people; a log collector gets the same facts as one line.
  logger.info({ mcpUrl: running.mcpUrl, resource: running.resource, issuer: running.issuer, store: running.store }, 'listening');

  // The first SIGINT/SIGTERM is a graceful shutdown here, not an interruption (main exits at the second).
  const reason = await whenAborted(ctx.signal);
  logger.info({ signal: reason instanceof InterruptedError ? reason.signalName : 'stop request' }, 'shutting down');
  await running.close();
  await logger.close();
  return EXIT.ok;
}
