import { resolveClientEnvironment, type LoginFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { painter } from './painter.js';
import { formatLoginSummary, runLogin } from './client-login-flow.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface LoginOptions extends LoginFlags {
  json?: boolean;
}

/** `todo-mcp login [server-url]`: discovery, client registration, browser (or device) login, tokens saved. */
export async function loginCommand(options: LoginOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  let result;
  try {
    result = await runLogin(env, options, ctx);
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }
  const { entry } = result;
  if (options.json) {
    const summary = {
      server: entry.server,
      resource: entry.resource,
      issuer: entry.issuer,
      name: entry.name ?? null,
      sub: entry.subject ?? null,
      subject: entry.subject ?? null,
      clientId: entry.client.clientId,
      scopes: entry.scopesGranted,
      notGranted: result.notGranted,
      expiresAt: entry.expiresAt ?? null,
      refreshToken: entry.refreshToken !== undefined,
    };
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    ctx.stdout.write(`${formatLoginSummary(result, painter(ctx.stdout, ctx.env)).join('\n')}\n`);
  }
  return EXIT.ok;
}
