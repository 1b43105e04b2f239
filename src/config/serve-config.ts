import { resolve } from 'node:path';
import { isPostgresUrl } from '../store/postgres-connection.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import type { ValueSource } from './config-file.js';

/** Everything `todo-mcp serve` needs, resolved once (flag > env > config file > default) and validated. */
export interface ServeConfig {
  port: number;
  host: string;
  /** Undefined: `http://localhost:<bound port>`, the tutorial's value. */
  resource: string | undefined;
  /** Undefined: start the embedded development authorization server. */
  issuer: string | undefined;
  authPort: number;
  dataFile: string;
  allowedOrigins: string[];
  stateless: boolean;
  /** PostgreSQL connection string (`--store postgres://…`); undefined: the JSON file `dataFile`. */
  store?: string;
  /** Most connections to PostgreSQL (`--pg-pool`); unused with the JSON store. Default: the store's (DEFAULTS.pgPoolSize). */
  pgPoolSize?: number;
  /** Least severe log line written; `silent` turns the log (request lines included) off. Default 'info'. */
  logLevel?: LogLevel;
  /** Undefined: `pretty` when stdout is a terminal, else `json` (the command decides: it knows its stdout). */
  logFormat?: LogFormat | undefined;
}

/** `serve`'s option values, each already parsed and validated, and taken by precedence (see cli/server-commands.ts). */
export interface ServeOptionValues {
  port: number;
  host: string;
  resource?: string | undefined;
  issuer?: string | undefined;
  authPort: number;
  /** The JSON data file, relative to `cwd`. */
  data: string;
  /** A postgres:// URL or a JSON file path. */
  store?: string | undefined;
  /** `--pg-pool`. */
  pgPool?: number | undefined;
  allowedOrigin: string[];
  stateless: boolean;
  logLevel: LogLevel;
  logFormat?: LogFormat | undefined;
}

const RANK: Record<NonNullable<ValueSource>, number> = { cli: 3, env: 2, config: 1, default: 0 };
const rank = (source: ValueSource) => (source === undefined ? -1 : RANK[source]);

/**
 * The server's configuration from its option values. A file path in `store` names the JSON data file, like
 * `data` at the same level: whichever of the two came from the higher level wins (`store` on a tie), so
 * `--data` on the command line beats a TODO_MCP_STORE file path.
 */
export function resolveServeConfig(input: { options: ServeOptionValues; sourceOf: (key: 'store' | 'data') => ValueSource; cwd: string }): ServeConfig {
  const { options, sourceOf } = input;
  const store = options.store !== undefined && isPostgresUrl(options.store) ? options.store : undefined;
  const storeFile = options.store !== undefined && store === undefined && rank(sourceOf('store')) >= rank(sourceOf('data')) ? options.store : undefined;
  return {
    port: options.port,
    host: options.host,
    resource: options.resource ?? (options.port === 0 ? undefined : `http://localhost:${options.port}`),
    issuer: options.issuer,
    authPort: options.authPort,
    dataFile: resolve(input.cwd, storeFile ?? options.data),
    allowedOrigins: options.allowedOrigin,
    stateless: options.stateless,
    ...(store === undefined ? {} : { store }),
    ...(options.pgPool === undefined ? {} : { pgPoolSize: options.pgPool }),
    logLevel: options.logLevel,
    ...(options.logFormat === undefined ? {} : { logFormat: options.logFormat }),
  };
}
