import type { ChalkInstance } from 'chalk';
import type { LoginInteraction, LoginResult } from '../client/login.js';
import type { McpSessionOptions } from '../client/mcp-session.js';
import type { SessionLogin, SessionLoginRequest } from '../client/session-auth.js';
import type { TokenEntry } from '../client/token-store.js';
import { resolveClientSettings, resolveScopes, type ClientEnvironment, type LoginFlags, type RequestFlags } from './client-settings.js';
import { painter } from './painter.js';
import type { CliContext } from './context.js';
import { userLabel } from './user-label.js';

/**
 * How the user is involved: the authorization URL goes to `$BROWSER` (a command given the URL) or the
 * platform opener, and is always printed too in case no browser appears; `--no-browser` only prints it.
 * Everything goes to stderr, so stdout stays for results (`--json`).
 */
export function loginInteraction(flags: LoginFlags, ctx: CliContext, signal: AbortSignal = ctx.signal): LoginInteraction {
  const say = (text: string) => ctx.stderr.write(`${text}\n`);
  return {
    mode: flags.device ? 'device' : 'browser',
    ...(flags.redirectPort === undefined ? {} : { redirectPort: flags.redirectPort }),
    timeoutMs: Math.round(flags.loginTimeout * 1000),
    forceSignIn: flags.switchUser === true,
    async openUrl(url) {
      if (flags.browser === false) {
        say(`Open this URL in a browser to log in:\n\n  ${url}\n`);
        return;
      }
      const { openBrowser } = await import('../client/open-browser.js');
      const { opened, reason } = await openBrowser(url, { command: ctx.env.BROWSER || undefined, signal });
      say(opened ? `Opening a browser to log in. If none appears, open this URL:\n\n  ${url}\n` : `Could not start a browser (${reason}). Open this URL to log in:\n\n  ${url}\n`);
      say('Waiting for the login to complete…');
    },
    showDeviceCode(prompt) {
      say(`To log in, open ${prompt.verificationUri} on any device and enter the code:\n\n  ${prompt.userCode}\n`);
      if (prompt.verificationUriComplete) say(`(or open ${prompt.verificationUriComplete})`);
      say(`The code expires in ${Math.round(prompt.expiresIn / 60)} min. Waiting…`);
    },
  };
}

/** Runs a login with the command's flags. The login code (openid-client) loads only here: `call` with a valid token never needs it. */
export async function runLogin(
  env: ClientEnvironment,
  flags: LoginFlags,
  ctx: CliContext,
  extra: { challenge?: SessionLoginRequest['challenge']; previousScopes?: readonly string[] | undefined; useFlagScopes?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<LoginResult> {
  const scopes = extra.useFlagScopes === false ? undefined : resolveScopes(flags);
  // Ctrl-C, or (for the bridge) the host giving up on every request that waits for this login.
  const signal = extra.signal ? AbortSignal.any([ctx.signal, extra.signal]) : ctx.signal;
  const { login } = await import('../client/login.js');
  return login({
    serverUrl: env.serverUrl,
    store: env.store,
    client: resolveClientSettings(flags, ctx),
    interaction: loginInteraction(flags, ctx, signal),
    signal,
    ...(extra.challenge ? { challenge: extra.challenge } : {}),
    ...(scopes ? { scopes } : {}),
    ...(extra.previousScopes ? { previousScopes: extra.previousScopes } : {}),
  });
}

/** For `call` and `tools`: logs in when the session needs it, reporting on stderr. */
export function sessionLogin(env: ClientEnvironment, flags: LoginFlags, ctx: CliContext, paint: ChalkInstance): SessionLogin {
  return async ({ reason, challenge, previousScopes, signal }) => {
    const why = {
      'no-token': `Not logged in to ${env.serverUrl}; logging in.`,
      rejected: `${env.serverUrl} no longer accepts the stored login; logging in again.`,
      'step-up': `${env.serverUrl} needs more permissions (${challenge?.scope?.join(' ') ?? 'more scopes'}); logging in again to get them.`,
    }[reason];
    ctx.stderr.write(`${why}\n`);
    const result = await runLogin(env, flags, ctx, { challenge, previousScopes, useFlagScopes: reason !== 'step-up', signal });
    ctx.stderr.write(`${formatLoginSummary(result, paint).join('\n')}\n`);
    return result.entry;
  };
}

/**
 * The session `call` and `tools` run: the stored login (refreshed, or a login when allowed), each request
 * bounded by --timeout, everything stopped by Ctrl-C.
 */
export function sessionOptions(env: ClientEnvironment, flags: LoginFlags & RequestFlags & { login?: boolean }, ctx: CliContext): McpSessionOptions {
  return {
    serverUrl: env.serverUrl,
    store: env.store,
    signal: ctx.signal,
    timeoutMs: Math.round(flags.timeout * 1000),
    // --no-login: fail with not_logged_in instead.
    ...(flags.login === false ? {} : { login: sessionLogin(env, flags, ctx, painter(ctx.stderr, ctx.env)) }),
  };
}

/** "in 59 min", "2 h 5 min ago". */
export function relativeTime(epochSeconds: number, now = Date.now() / 1000): string {
  const delta = Math.round(epochSeconds - now);
  const abs = Math.abs(delta);
  const text = abs < 90 ? `${abs} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : `${Math.floor(abs / 3600)} h ${Math.round((abs % 3600) / 60)} min`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** Who, where, what was granted (and not), and until when; never a token. */
export function describeEntry(entry: TokenEntry, paint: ChalkInstance, notGranted: readonly string[] = []): string[] {
  const expiry = entry.expiresAt === undefined ? 'unknown' : `${new Date(entry.expiresAt * 1000).toISOString()} (${relativeTime(entry.expiresAt)})`;
  return [
    `  subject      ${entry.subject ?? '(not readable from the token)'}`,
    `  server       ${entry.server}`,
    `  resource     ${entry.resource}`,
    `  issuer       ${entry.issuer}`,
    `  client       ${entry.client.clientId} (${entry.client.kind})`,
    `  scopes       ${entry.scopesGranted.join(' ') || '(none)'}`,
    ...(notGranted.length > 0 ? [`  not granted  ${paint.yellow(notGranted.join(' '))}`] : []),
    `  expires      ${expiry}`,
    `  refresh      ${entry.refreshToken ? 'yes (renewed automatically)' : 'no (log in again when it expires)'}`,
  ];
}

export function formatLoginSummary(result: LoginResult, paint: ChalkInstance): string[] {
  const label = userLabel(result.entry);
  const who = label ? ` as ${paint.bold(label)}` : '';
  return [`${paint.green('Logged in')} to ${result.entry.server}${who}`, ...describeEntry(result.entry, paint, result.notGranted)];
}
