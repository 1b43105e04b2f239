import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, type ConfigFile } from '../config/config-file.js';
import type { ClientSettings } from '../client/login.js';
import { splitScopes } from '../client/select-scopes.js';
import { createTokenStore, type TokenStore } from '../client/token-store.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { DEFAULT_LOGIN_TIMEOUT_SECONDS, DEFAULT_SERVER_URL } from './client-defaults.js';

export { DEFAULT_LOGIN_TIMEOUT_SECONDS, DEFAULT_SERVER_URL };

/** Flags every client command takes. */
export interface ServerFlags {
  server?: string;
  config?: string;
}

/** Flags of commands that may log in. */
export interface LoginFlags extends ServerFlags {
  clientId?: string;
  clientMetadataUrl?: string;
  audience?: string;
  scope?: string;
  redirectPort?: string;
  /** false with --no-browser. */
  browser?: boolean;
  device?: boolean;
  /** login --switch-user */
  switchUser?: boolean;
  timeout?: string;
}

/** What a client command works with. */
export interface ClientEnvironment {
  readonly serverUrl: string;
  readonly home: string;
  readonly store: TokenStore;
  readonly config: ConfigFile;
}

/**
 * The todo-mcp home: `TODO_MCP_HOME`, else `$XDG_CONFIG_HOME/todo-mcp`, else `~/.config/todo-mcp`.
 * It holds tokens.json (mode 0600) in a directory created 0700.
 */
export function resolveHome(env: CliContext['env']): string {
  if (env.TODO_MCP_HOME) return env.TODO_MCP_HOME;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'todo-mcp');
  return join(env.HOME || homedir(), '.config', 'todo-mcp');
}

function checkUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError('usage', `${what} must be an absolute http(s) URL, got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('usage', `${what} must be an http(s) URL, got ${JSON.stringify(value)}.`);
  if (url.hash) throw new CliError('usage', `${what} must not contain a fragment (#…).`);
  return value;
}

/** Server (positional or trailing URL > --server > TODO_MCP_SERVER > config "server" > default), home and store. */
export async function resolveClientEnvironment(flags: ServerFlags, ctx: CliContext, positional?: string): Promise<ClientEnvironment> {
  const { config } = await loadConfigFile({ path: flags.config ?? ctx.env.TODO_MCP_CONFIG, cwd: ctx.cwd });
  if (positional && flags.server && positional !== flags.server) {
    throw new CliError('usage', `Two servers given (${positional} and --server ${flags.server}); give one.`);
  }
  const serverUrl = checkUrl(positional ?? flags.server ?? (ctx.env.TODO_MCP_SERVER || undefined) ?? config.server ?? DEFAULT_SERVER_URL, 'The server URL');
  const home = resolveHome(ctx.env);
  return { serverUrl, home, config, store: createTokenStore({ dir: home }) };
}

/** Client identity: --client-id / TODO_MCP_CLIENT_ID / config "clientId" (secret only from TODO_MCP_CLIENT_SECRET). */
export function resolveClientSettings(flags: LoginFlags, ctx: CliContext, config: ConfigFile): ClientSettings {
  const clientId = flags.clientId ?? (ctx.env.TODO_MCP_CLIENT_ID || undefined) ?? config.clientId;
  const clientMetadataUrl = flags.clientMetadataUrl ?? (ctx.env.TODO_MCP_CLIENT_METADATA_URL || undefined);
  const audience = flags.audience ?? (ctx.env.TODO_MCP_AUDIENCE || undefined) ?? config.audience;
  // A secret on the command line would show in `ps` and shell history, so it is read from the environment only.
  const clientSecret = clientId ? ctx.env.TODO_MCP_CLIENT_SECRET || undefined : undefined;
  return {
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(clientMetadataUrl ? { clientMetadataUrl: checkUrl(clientMetadataUrl, '--client-metadata-url') } : {}),
    ...(audience ? { audience } : {}),
  };
}

/** --scope / TODO_MCP_SCOPE, split on spaces or commas; undefined means "what the server asks for". */
export function resolveScopes(flags: LoginFlags, ctx: CliContext): string[] | undefined {
  const scopes = splitScopes(flags.scope ?? ctx.env.TODO_MCP_SCOPE);
  return scopes.length > 0 ? scopes : undefined;
}

/** --redirect-port / TODO_MCP_REDIRECT_PORT (1–65535), undefined for a random port. */
export function resolveRedirectPort(flags: LoginFlags, ctx: CliContext): number | undefined {
  const value = flags.redirectPort ?? (ctx.env.TODO_MCP_REDIRECT_PORT || undefined);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('usage', `--redirect-port must be a port number (1–65535), got ${JSON.stringify(value)}.`);
  return port;
}

/** --timeout / TODO_MCP_LOGIN_TIMEOUT in seconds, as milliseconds. */
export function resolveLoginTimeoutMs(flags: LoginFlags, ctx: CliContext): number {
  const value = flags.timeout ?? (ctx.env.TODO_MCP_LOGIN_TIMEOUT || undefined);
  if (value === undefined) return DEFAULT_LOGIN_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CliError('usage', `--timeout must be a positive number of seconds, got ${JSON.stringify(value)}.`);
  return Math.round(seconds * 1000);
}
