import { findEntryForServer } from '../client/token-store.js';
import { runDoctor } from '../doctor/run-doctor.js';
import type { DoctorCheck } from '../doctor/check.js';
import { resolveClientEnvironment, type ServerFlags } from './client-settings.js';
import { rejectWhenAborted } from '../errors/interrupted.js';
import { logtoDoctorChecks } from './doctor-logto.js';
import { EXIT } from './cli-error.js';
import { painter } from './painter.js';
import type { CliContext } from './context.js';

export interface DoctorOptions extends ServerFlags {
  /** The resource identifier the user configured, compared with the published one. */
  resource?: string | undefined;
  json?: boolean | undefined;
  /** The Logto issuer for the optional tenant check (LOGTO_M2M_* set). */
  issuer?: string | undefined;
  /** The pre-registered client id `login` would use (flag, env or config file); the Logto check compares it with the tenant's CLI app. */
  clientId?: string | undefined;
  /** The Client ID Metadata Document `login` would use. */
  clientMetadataUrl?: string | undefined;
  /** Seconds per request. */
  timeout: number;
}

/** `todo-mcp doctor [server-url]`: exit 0 when every check is ok or a warning, 9 when any is an error. */
export async function doctorCommand(options: DoctorOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  const entry = findEntryForServer(await env.store.read(), env.serverUrl);
  const timeoutMs = Math.round(options.timeout * 1000);
  const chain = runDoctor({
    serverUrl: env.serverUrl,
    configuredResource: options.resource,
    token: entry ? { accessToken: entry.accessToken, hasRefreshToken: Boolean(entry.refreshToken) } : undefined,
    store: env.store,
    timeoutMs,
    client: { clientId: options.clientId, clientMetadataUrl: options.clientMetadataUrl },
    signal: ctx.signal,
  });
  // The checks only read (their requests have their own timeouts): Ctrl-C need not wait for them.
  const diagnosis = (async () => {
    const { checks: found, ...rest } = await chain;
    // With LOGTO_M2M_* set, the tenant is compared with what `logto setup` creates.
    const checks = [...found, ...(await logtoDoctorChecks(ctx.env, options, timeoutMs))];
    return { ...rest, checks, ok: !checks.some((c) => c.status === 'error') };
  })();
  const report = await Promise.race([diagnosis, rejectWhenAborted(ctx.signal, `checking ${env.serverUrl}`)]);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const paint = painter(ctx.stdout, ctx.env);
    const mark: Record<DoctorCheck['status'], string> = { ok: paint.green('ok   '), warning: paint.yellow('warn '), error: paint.red('ERROR'), skipped: paint.gray('skip ') };
    ctx.stdout.write(`todo-mcp doctor — ${report.server}\n\n`);
    for (const check of report.checks) {
      ctx.stdout.write(`${mark[check.status]} ${check.title}: ${check.detail}\n`);
      if (check.fix && check.status !== 'ok') ctx.stdout.write(`      fix: ${check.fix}\n`);
    }
    const errors = report.checks.filter((c) => c.status === 'error').length;
    ctx.stdout.write(`\n${errors === 0 ? paint.green('No problems found.') : paint.red(`${errors} problem(s) found.`)}\n`);
  }
  return report.ok ? EXIT.ok : EXIT.problemsFound;
}
