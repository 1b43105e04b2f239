import { resolve } from 'node:path';
import { isPostgresUrl, looksLikeUrl, redactConnectionString } from '../store/postgres-connection.js';
import { ConfigError, type ConfigFile } from './config-file.js';

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
}

/** Flags as commander hands them over (all optional strings/booleans). */
export interface ServeFlags {
  port?: string;
  host?: string;
  resource?: string;
  issuer?: string;
  authPort?: string;
  data?: string;
  allowedOrigin?: string[];
  stateless?: boolean;
  store?: string;
}

export const SERVE_DEFAULTS = {
  port: 3001,
  host: '127.0.0.1',
  authPort: 3002,
  /** Relative to the working directory. */
  dataFile: '.todo-mcp/todos.json',
} as const;

function parsePort(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('config_invalid', `${name} must be a port number (0–65535), got ${JSON.stringify(value)}.`);
  return port;
}

function parseUrl(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('config_invalid', `${name} must be an absolute URL, got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('config_invalid', `${name} must be an http(s) URL, got ${JSON.stringify(value)}.`);
  if (url.hash) throw new ConfigError('config_invalid', `${name} must not contain a fragment (#…), got ${JSON.stringify(value)}.`);
  return value;
}

/** `--store`: a postgres:// URL, kept as is, or a JSON file path; any other URL scheme is a mistake. */
function parseStore(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (looksLikeUrl(value) && !isPostgresUrl(value)) {
    throw new ConfigError('config_invalid', `${name} must be a postgres:// (or postgresql://) URL or a file path, got ${JSON.stringify(redactConnectionString(value))}.`);
  }
  return value;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function resolveServeConfig(input: { flags: ServeFlags; env: Record<string, string | undefined>; file: ConfigFile; cwd: string }): ServeConfig {
  const { flags, env, file } = input;
  const port = parsePort(flags.port, '--port') ?? parsePort(env.TODO_MCP_PORT, 'TODO_MCP_PORT') ?? file.port ?? SERVE_DEFAULTS.port;
  const host = flags.host ?? env.TODO_MCP_HOST ?? file.host ?? SERVE_DEFAULTS.host;
  const resource =
    parseUrl(flags.resource, '--resource') ?? parseUrl(env.TODO_MCP_RESOURCE, 'TODO_MCP_RESOURCE') ?? file.resource ?? (port === 0 ? undefined : `http://localhost:${port}`);
  const issuer = parseUrl(flags.issuer, '--issuer') ?? parseUrl(env.TODO_MCP_ISSUER, 'TODO_MCP_ISSUER') ?? file.issuer;
  const authPort = parsePort(flags.authPort, '--auth-port') ?? parsePort(env.TODO_MCP_AUTH_PORT, 'TODO_MCP_AUTH_PORT') ?? file.authPort ?? SERVE_DEFAULTS.authPort;
  const stores = [parseStore(flags.store, '--store'), parseStore(env.TODO_MCP_STORE, 'TODO_MCP_STORE'), parseStore(file.store, 'store')] as const;
  const chosenStore = stores[0] ?? stores[1] ?? stores[2];
  const store = chosenStore !== undefined && isPostgresUrl(chosenStore) ? chosenStore : undefined;
  // A file path in --store names the JSON data file, like --data at the same level (flag > env > file).
  const storeFile = (value: string | undefined) => (value !== undefined && !isPostgresUrl(value) ? value : undefined);
  const dataFile = resolve(
    input.cwd,
    storeFile(stores[0]) ?? flags.data ?? storeFile(stores[1]) ?? env.TODO_MCP_DATA ?? storeFile(stores[2]) ?? file.data ?? SERVE_DEFAULTS.dataFile,
  );
  const envOrigins = env.TODO_MCP_ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean);
  const allowedOrigins = (flags.allowedOrigin?.length ? flags.allowedOrigin : undefined) ?? envOrigins ?? file.allowedOrigins ?? [];
  for (const origin of allowedOrigins) parseUrl(origin, '--allowed-origin');
  const stateless = flags.stateless ?? parseBoolean(env.TODO_MCP_STATELESS) ?? file.stateless ?? false;
  return { port, host, resource, issuer, authPort, dataFile, allowedOrigins, stateless, ...(store === undefined ? {} : { store }) };
}
