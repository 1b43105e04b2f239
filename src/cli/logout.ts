import { logout, type LogoutResult } from '../client/logout.js';
import type { TokenEntry } from '../client/token-store.js';
import { resolveClientEnvironment, type ServerFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { relativeTime } from './client-login-flow.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';
import { userLabel } from './user-label.js';

export interface LogoutOptions extends ServerFlags {
}

/** `todo-mcp logout`: revokes what can be revoked, deletes the tokens, and says what stays valid elsewhere. */
export async function logoutCommand(options: LogoutOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  let result;
  try {
    result = await logout({ store: env.store, serverUrl: env.serverUrl, signal: ctx.signal });
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }
  if (!result.entry) {
    ctx.stdout.write(`Not logged in to ${env.serverUrl}; nothing to do.\n`);
    return EXIT.ok;
  }
  ctx.stdout.write(`${describeLogout(result as LogoutResult & { entry: TokenEntry }).join('\n')}\n`);
  return EXIT.ok;
}

/** One line per token: what happened at the authorization server, on this machine, and what stays valid where until when. */
export function describeLogout(result: LogoutResult & { entry: TokenEntry }, now = Date.now() / 1000): string[] {
  const { entry } = result;
  const issuer = entry.issuer;
  const label = userLabel(entry);
  const refresh = {
    revoked: `revoked at ${issuer}: it can no longer renew the session`,
    absent: 'none was kept',
    unsupported: `not revoked: ${issuer} has no revocation endpoint, so it stays valid there until it expires; deleted from this machine`,
    failed: `not revoked (${result.errors?.refreshToken}); it stays valid at ${issuer} until it expires; deleted from this machine`,
  }[result.refreshToken ?? 'absent'];

  const until = result.accessTokenValidUntil;
  const expired = until !== undefined && until <= now;
  const when = until === undefined ? 'until it expires' : `until ${new Date(until * 1000).toISOString()} (${relativeTime(until, now)})`;
  const copy = `a copy of it elsewhere stays valid at ${entry.resource} ${when}`;
  const access = expired
    ? `deleted from this machine (it had expired ${relativeTime(until, now)})`
    : {
        offline: `deleted from this machine; ${copy}: it is a JWT, which the resource server verifies offline without asking ${issuer}, so no revocation reaches it`,
        revoked: `revoked at ${issuer} and deleted from this machine`,
        unsupported: `deleted from this machine; ${copy} (${issuer} has no revocation endpoint)`,
        failed: `deleted from this machine; not revoked (${result.errors?.accessToken}), so ${copy}`,
      }[result.accessToken ?? 'offline'];
  return [`Logged out of ${entry.server}${label ? ` as ${label}` : ''}:`, `  refresh token  ${refresh}`, `  access token   ${access}`];
}
