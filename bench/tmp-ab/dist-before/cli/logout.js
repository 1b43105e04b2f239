import { logout } from '../client/logout.js';
import { resolveClientEnvironment } from './client-settings.js';
import { toCliError } from './client-errors.js';
import { EXIT } from './cli-error.js';
/** `todo-mcp logout`: revokes the tokens where the server supports it, and forgets them. */
export async function logoutCommand(options, ctx) {
    const env = await resolveClientEnvironment(options, ctx, options.serverArg);
    let result;
    try {
        result = await logout({ store: env.store, serverUrl: env.serverUrl });
    }
    catch (error) {
        throw toCliError(error, env.serverUrl);
    }
    if (!result.entry) {
        ctx.stdout.write(`Not logged in to ${env.serverUrl}; nothing to do.\n`);
        return EXIT.ok;
    }
    const how = {
        revoked: `the tokens were revoked at ${result.entry.issuer}`,
        unsupported: `${result.entry.issuer} offers no token revocation, so the tokens stay valid there until they expire`,
        failed: `revoking them at ${result.entry.issuer} failed: ${result.error}`,
    }[result.revocation ?? 'unsupported'];
    ctx.stdout.write(`Logged out of ${result.entry.server}: ${how}; they are deleted from this machine.\n`);
    return EXIT.ok;
}
//# sourceMappingURL=logout.js.map