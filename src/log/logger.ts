/**
 * The server-side log, as every layer sees it: leveled lines of a message plus fields. `createLogger`
 * (create-logger.ts, pino underneath) makes the real one in `serve` and `auth-server`; this module has no
 * runtime dependency, so a layer that logs does not load pino, and code run without a log (tests, the
 * library used on its own) gets `silentLogger`.
 */

/** Levels from most to least verbose; `silent` writes nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object per line, for machines; `pretty`: one short line for people. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What a line carries besides its message. Never a token, a header or a password. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  /** A logger adding `bindings` to each of its lines (e.g. `{ component: 'dev-auth' }`). */
  child(bindings: LogFields): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

const nothing = () => undefined;

/** A logger that drops everything: the default wherever a log is optional. */
export const silentLogger: Logger = {
  debug: nothing,
  info: nothing,
  warn: nothing,
  error: nothing,
  child: () => silentLogger,
  isLevelEnabled: () => false,
};
