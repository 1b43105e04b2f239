import { findEntryForServer } from '../client/token-store.js';
import { resolveClientEnvironment, type ServerFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { painter } from './painter.js';
import { describeEntry } from './client-login-flow.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';
import { userLabel } from './user-label.js';

export interface WhoamiOptions extends ServerFlags {
  json?: boolean;
}

/** `todo-mcp whoami`: what the stored login says (subject, scopes, issuer, resource, expiry), never the token. */
export async function whoamiCommand(options: WhoamiOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  let entry;
  try {
    entry = findEntryForServer(await env.store.read(), env.serverUrl);
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }
  if (!entry) throw new CliError('not_logged_in', `Not logged in to ${env.serverUrl}.\nLog in with: todo-mcp login ${env.serverUrl}`);
  const now = Math.floor(Date.now() / 1000);
  const expired = entry.expiresAt !== undefined && entry.expiresAt <= now;
  if (options.json) {
    const summary = {
      // name and sub as the ID token and the access token say; subject (= sub) stays for scripts written before.
      name: entry.name ?? null,
      sub: entry.subject ?? null,
      subject: entry.subject ?? null,
      server: entry.server,
      resource: entry.resource,
      issuer: entry.issuer,
      clientId: entry.client.clientId,
      scopes: entry.scopesGranted,
      expiresAt: entry.expiresAt ?? null,
      expired,
      refreshToken: entry.refreshToken !== undefined,
    };
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return EXIT.ok;
  }
  const paint = painter(ctx.stdout, ctx.env);
  const state = expired ? (entry.refreshToken ? paint.yellow(' (access token expired; renewed on next use)') : paint.red(' (expired)')) : '';
  const label = userLabel(entry);
  ctx.stdout.write(`Logged in to ${entry.server}${label ? ` as ${paint.bold(label)}` : ''}${state}\n${describeEntry(entry, paint).join('\n')}\n`);
  return EXIT.ok;
}
