import { logout } from '../client/logout.js';
import { resolveClientEnvironment, type ServerFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface LogoutOptions extends ServerFlags {
}

/** `todo-mcp logout`: revokes the tokens where the server supports it, and forgets them. */
export async function logoutCommand(options: LogoutOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  let result;
  try {
    result = await logout({ store: env.store, serverUrl: env.serverUrl });
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
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
