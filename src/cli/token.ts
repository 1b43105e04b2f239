import { freshEntry } from '../client/refresh-entry.js';
import { findEntryForServer } from '../client/token-store.js';
import { resolveClientEnvironment, type ServerFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface TokenOptions extends ServerFlags {
}

/**
 * `todo-mcp token`: the raw access token (refreshed first when expired) on stdout, for
 * `curl -H "Authorization: Bearer $(todo-mcp token)"` or the Inspector's `--header`. The one command
 * that ever prints a token.
 */
export async function tokenCommand(options: TokenOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  let token: string;
  try {
    const entry = findEntryForServer(await env.store.read(), env.serverUrl);
    if (!entry) throw new CliError('not_logged_in', `Not logged in to ${env.serverUrl}.\nLog in with: todo-mcp login ${env.serverUrl}`);
    token = (await freshEntry({ store: env.store, entry, signal: ctx.signal })).accessToken;
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }
  ctx.stdout.write(`${token}\n`);
  return EXIT.ok;
}
