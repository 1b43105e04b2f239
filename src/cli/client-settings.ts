import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientSettings } from '../client/login.js';
import { splitScopes } from '../client/select-scopes.js';
import { createTokenStore, type TokenStore } from '../client/token-store.js';
import type { CliContext } from './context.js';

/*
 * The values arrive parsed and settled (flag or argument > environment > config file > default: see
 * client-commands.ts); what is left here is what no option carries: the home directory and the secret.
 */

/** Options every client command takes. */
export interface ServerFlags {
  /** The MCP endpoint. */
  server: string;
}

/** Options of commands that may log in. */
export interface LoginFlags extends ServerFlags {
  clientId?: string | undefined;
  clientMetadataUrl?: string | undefined;
  audience?: string | undefined;
  /** Space- or comma-separated; undefined: what the server asks for. */
  scope?: string | undefined;
  /** Undefined: a random port. */
  redirectPort?: number | undefined;
  /** false with --no-browser. */
  browser: boolean;
  device?: boolean | undefined;
  /** login --switch-user */
  switchUser?: boolean | undefined;
  /** How long a login waits for the user, in seconds (`login --timeout`, `call`/`tools --login-timeout`). */
  loginTimeout: number;
}

/** Options of commands that talk MCP (`call`, `tools`). */
export interface RequestFlags {
  /** How long each MCP request may take end to end, in seconds (`--timeout`). */
  timeout: number;
}

/** What a client command works with. */
export interface ClientEnvironment {
  readonly serverUrl: string;
  readonly home: string;
  readonly store: TokenStore;
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

/** The server, the home directory and its token store. */
export function resolveClientEnvironment(flags: ServerFlags, ctx: CliContext): ClientEnvironment {
  const home = resolveHome(ctx.env);
  // The signal ends a wait for another process's lock on the token file (Ctrl-C).
  return { serverUrl: flags.server, home, store: createTokenStore({ dir: home, signal: ctx.signal }) };
}

/** The client identity; the secret only from TODO_MCP_CLIENT_SECRET (a flag would show in `ps` and shell history). */
export function resolveClientSettings(flags: LoginFlags, ctx: CliContext): ClientSettings {
  const clientSecret = flags.clientId ? ctx.env.TODO_MCP_CLIENT_SECRET || undefined : undefined;
  return {
    ...(flags.clientId ? { clientId: flags.clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(flags.clientMetadataUrl ? { clientMetadataUrl: flags.clientMetadataUrl } : {}),
    ...(flags.audience ? { audience: flags.audience } : {}),
  };
}

/** --scope split on spaces or commas; undefined means "what the server asks for". */
export function resolveScopes(flags: LoginFlags): string[] | undefined {
  const scopes = splitScopes(flags.scope);
  return scopes.length > 0 ? scopes : undefined;
}
