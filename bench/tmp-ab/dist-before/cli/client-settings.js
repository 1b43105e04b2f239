import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile } from '../config/config-file.js';
import { splitScopes } from '../client/select-scopes.js';
import { createTokenStore } from '../client/token-store.js';
import { CliError, EXIT } from './cli-error.js';
import { DEFAULT_LOGIN_TIMEOUT_SECONDS, DEFAULT_SERVER_URL } from './client-defaults.js';
export { DEFAULT_LOGIN_TIMEOUT_SECONDS, DEFAULT_SERVER_URL };
/**
 * The todo-mcp home: `TODO_MCP_HOME`, else `$XDG_CONFIG_HOME/todo-mcp`, else `~/.config/todo-mcp`.
 * It holds tokens.json (mode 0600) in a directory created 0700.
 */
export function resolveHome(env) {
    if (env.TODO_MCP_HOME)
        return env.TODO_MCP_HOME;
    if (env.XDG_CONFIG_HOME)
        return join(env.XDG_CONFIG_HOME, 'todo-mcp');
    return join(env.HOME || homedir(), '.config', 'todo-mcp');
}
function checkUrl(value, what) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new CliError(`${what} must be an absolute http(s) URL, got ${JSON.stringify(value)}.`, EXIT.usage);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new CliError(`${what} must be an http(s) URL, got ${JSON.stringify(value)}.`, EXIT.usage);
    if (url.hash)
        throw new CliError(`${what} must not contain a fragment (#…).`, EXIT.usage);
    return value;
}
/** Server (positional or trailing URL > --server > TODO_MCP_SERVER > config "server" > default), home and store. */
export async function resolveClientEnvironment(flags, ctx, positional) {
    let config;
    try {
        ({ config } = await loadConfigFile({ path: flags.config ?? ctx.env.TODO_MCP_CONFIG, cwd: ctx.cwd }));
    }
    catch (error) {
        if (error instanceof ConfigError)
            throw new CliError(error.message, EXIT.usage, { cause: error });
        throw error;
    }
    if (positional && flags.server && positional !== flags.server) {
        throw new CliError(`Two servers given (${positional} and --server ${flags.server}); give one.`, EXIT.usage);
    }
    const serverUrl = checkUrl(positional ?? flags.server ?? (ctx.env.TODO_MCP_SERVER || undefined) ?? config.server ?? DEFAULT_SERVER_URL, 'The server URL');
    const home = resolveHome(ctx.env);
    return { serverUrl, home, config, store: createTokenStore({ dir: home }) };
}
/** Client identity: --client-id / TODO_MCP_CLIENT_ID / config "clientId" (secret only from TODO_MCP_CLIENT_SECRET). */
export function resolveClientSettings(flags, ctx, config) {
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
export function resolveScopes(flags, ctx) {
    const scopes = splitScopes(flags.scope ?? ctx.env.TODO_MCP_SCOPE);
    return scopes.length > 0 ? scopes : undefined;
}
/** --redirect-port / TODO_MCP_REDIRECT_PORT (1–65535), undefined for a random port. */
export function resolveRedirectPort(flags, ctx) {
    const value = flags.redirectPort ?? (ctx.env.TODO_MCP_REDIRECT_PORT || undefined);
    if (value === undefined)
        return undefined;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new CliError(`--redirect-port must be a port number (1–65535), got ${JSON.stringify(value)}.`, EXIT.usage);
    return port;
}
/** --timeout / TODO_MCP_LOGIN_TIMEOUT in seconds, as milliseconds. */
export function resolveLoginTimeoutMs(flags, ctx) {
    const value = flags.timeout ?? (ctx.env.TODO_MCP_LOGIN_TIMEOUT || undefined);
    if (value === undefined)
        return DEFAULT_LOGIN_TIMEOUT_SECONDS * 1000;
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds <= 0)
        throw new CliError(`--timeout must be a positive number of seconds, got ${JSON.stringify(value)}.`, EXIT.usage);
    return Math.round(seconds * 1000);
}
//# sourceMappingURL=client-settings.js.map