import { Chalk, type ChalkInstance } from 'chalk';
import pino from 'pino';
import type { Logger, LogFormat, LogLevel } from './logger.js';
import { prettyStream, type TextSink } from './pretty-lines.js';
import { serializeError } from './safe-error.js';

export interface CreateLoggerOptions {
  /** Least severe level written (`silent`: none). Default 'info'. */
  level?: LogLevel;
  /** `json` lines or `pretty` lines. Default 'json'. */
  format?: LogFormat;
  /** File descriptor the lines are written to. Default 1 (stdout). */
  fd?: number;
  /** Where lines go instead of `fd` (tests). Default: `fd`. */
  sink?: TextSink;
  /** Colours of pretty lines: the CLI's painter for the stream. Default: none. */
  paint?: ChalkInstance;
}

/** A logger that owns its output: `close()` writes out what is still buffered. */
export interface ProcessLogger extends Logger {
  close(): Promise<void>;
}

/**
 * The process's logger (pino). Lines go out asynchronously: a request never waits for a write, and lines
 * logged while one write is in flight go out together in the next (pino's sonic-boom), which is what keeps
 * the request log cheap when stdout is a pipe to a process manager. JSON lines carry `time` (epoch ms),
 * `level` (its name) and `msg`; no pid or hostname (process managers add their own). Errors are logged as
 * `err` with credentials masked (safe-error.ts).
 */
export function createLogger(options: CreateLoggerOptions = {}): ProcessLogger {
  // Lines gather in memory and go out in one write once 4 KiB have piled up, or every 100 ms: at a few
  // thousand requests a second that is one write (and one wake-up of whatever reads the pipe) per ~25
  // lines instead of one per line, which measured as most of the log's cost. A line waits at most 100 ms;
  // what is buffered is written out on close and at exit.
  const destination: TextSink = options.sink ?? pino.destination({ dest: options.fd ?? 1, sync: false, minLength: 4096, periodicFlush: 100 });
  const stream = options.format === 'pretty' ? prettyStream(destination, options.paint ?? new Chalk({ level: 0 })) : destination;
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
    },
    stream as pino.DestinationStream,
  );
  return Object.assign(logger, {
    close: () => new Promise<void>((resolve) => (destination.flush ? destination.flush(() => resolve()) : resolve())),
  });
}
