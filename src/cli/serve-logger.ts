import type { ServeConfig } from '../config/serve-config.js';
import { createLogger, type ProcessLogger } from '../log/create-logger.js';
import type { CliContext } from './context.js';
import { painter } from './painter.js';

/**
 * The server's log on the command's stdout, as `serve` and `auth-server` run it: `--log-format`, else
 * pretty lines on a terminal and JSON lines otherwise (a pipe to a process manager, a file), which is what
 * log collectors read. Written straight to stdout's file descriptor, asynchronously, when it has one.
 */
export function serveLogger(config: Pick<ServeConfig, 'logLevel' | 'logFormat'>, ctx: CliContext): ProcessLogger {
  const format = config.logFormat ?? (ctx.stdout.isTTY === true ? 'pretty' : 'json');
  const fd = (ctx.stdout as { fd?: unknown }).fd;
  return createLogger({
    level: config.logLevel,
    format,
    ...(typeof fd === 'number' ? { fd } : { sink: ctx.stdout }),
    paint: painter(ctx.stdout, ctx.env),
  });
}
