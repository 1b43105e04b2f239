import { freshEntry } from '../client/refresh-entry.js';
import { findEntryForServer } from '../client/token-store.js';
import { resolveClientEnvironment } from './client-settings.js';
import { toCliError } from './client-errors.js';
import { CliError, EXIT } from './cli-error.js';
/**
 * `todo-mcp token`: the raw access token (refreshed first when expired) on stdout, for
 * `curl -H "Authorization: Bearer $(todo-mcp token)"` or the Inspector's `--header`. The one command
 * that ever prints a token.
 */
export async function tokenCommand(options, ctx) {
    const env = await resolveClientEnvironment(options, ctx, options.serverArg);
    let token;
    try {
        const entry = findEntryForServer(await env.store.read(), env.serverUrl);
        if (!entry)
            throw new CliError(`Not logged in to ${env.serverUrl}.\nLog in with: todo-mcp login ${env.serverUrl}`, EXIT.notAuthenticated);
        token = (await freshEntry({ store: env.store, entry })).accessToken;
    }
    catch (error) {
        throw toCliError(error, env.serverUrl);
    }
    ctx.stdout.write(`${token}\n`);
    return EXIT.ok;
}
//# sourceMappingURL=token.js.map