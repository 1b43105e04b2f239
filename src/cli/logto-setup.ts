import { defaultResource, defaultServerUrl } from '../config/defaults.js';
import { DEFAULT_CHECKLIST_VALUES } from '../config/provider-checklist.js';
import { renderInitialConfig } from '../config/write-initial-config.js';
import { interruptible, interruption } from '../errors/interrupted.js';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { defaultManagementResource } from '../logto/management-resource.js';
import { formatReport, reportJson, unresolved } from '../logto/report.js';
import { runLogtoSetup, type LogtoSetupReport } from '../logto/setup.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';
import { painter } from './painter.js';
import { askOnTerminal } from './terminal-prompt.js';

/** The settled options (flags, LOGTO_ENDPOINT / LOGTO_M2M_ID, defaults), as declared in logto-commands.ts. */
export interface LogtoSetupFlags {
  /** Required: flag or LOGTO_ENDPOINT. */
  endpoint?: string | undefined;
  /** Required: flag or LOGTO_M2M_ID. */
  m2mId?: string | undefined;
  /** Default: derived from the endpoint (defaultManagementResource). */
  managementResource?: string | undefined;
  /** Default: `http://localhost:<port>`. */
  resource?: string | undefined;
  /** Default: `http://localhost:<port>/mcp`. */
  server?: string | undefined;
  port: number;
  inspectorRedirect: string;
  demoUsers?: boolean | undefined;
  fix?: boolean | undefined;
  dryRun?: boolean | undefined;
  json?: boolean | undefined;
  /** Seconds per request. */
  timeout: number;
}

/**
 * `todo-mcp logto setup`: provisions the tenant through the Management API and writes the config file.
 * Exit 0 when the tenant is (or, with --dry-run, would be) ready; 9 when objects differ and were not fixed,
 * or need a decision in the Console; otherwise the exit code of the failure.
 */
export async function logtoSetupCommand(flags: LogtoSetupFlags, ctx: CliContext): Promise<number> {
  const endpoint = parseEndpoint(flags.endpoint);
  const clientId = flags.m2mId?.trim();
  if (!clientId) throw new CliError('usage', '--m2m-id (or LOGTO_M2M_ID) is required: the App ID of a machine-to-machine app with the Management API role.');
  const { port } = flags;
  const resource = flags.resource ?? defaultResource(port);
  const server = flags.server ?? defaultServerUrl(port);
  const inspectorRedirectUri = flags.inspectorRedirect;
  // The values must make a valid config before anything is created in the tenant (a ConfigError exits 2).
  await renderInitialConfig({ provider: 'logto', issuer: `${endpoint}/oidc`, resource, server, clientId: 'check', port });
  // Ctrl-C at the prompt, or a signal, ends it with an InterruptedError (130/143, one line from main).
  const clientSecret = await readSecret(ctx);

  const activity = `provisioning the Logto tenant at ${endpoint}`;
  // Failures before anything is read (LogtoError: endpoint, credentials, role) reach main, which maps their codes.
  const report: LogtoSetupReport = await interruptible(ctx.signal, activity, () => runLogtoSetup({
    endpoint,
    clientId,
    clientSecret,
    managementResource: flags.managementResource ?? defaultManagementResource(endpoint),
    resource,
    server,
    port,
    cliRedirectUri: DEFAULT_CHECKLIST_VALUES.cliRedirectUri,
    inspectorRedirectUri,
    demoUsers: flags.demoUsers,
    fix: flags.fix,
    dryRun: flags.dryRun,
    cwd: ctx.cwd,
    timeoutMs: Math.round(flags.timeout * 1000),
    signal: ctx.signal,
  })).catch((error: unknown) => {
    // Scripts reading --json get the failure on stdout too.
    if (flags.json && isTodoMcpError(error)) ctx.stdout.write(`${JSON.stringify({ ok: false, error: { code: error.code, message: error.message } }, null, 2)}\n`);
    throw error;
  });
  const { error } = report;
  const errorJson = isTodoMcpError(error) ? { code: error.code, message: error.message } : undefined;
  if (flags.json) ctx.stdout.write(reportJson(report, inspectorRedirectUri, errorJson));
  else ctx.stdout.write(formatReport(report, painter(ctx.stdout, ctx.env), inspectorRedirectUri));
  // A failure midway (Ctrl-C included): what was done is printed above; main prints the error and exits with its code.
  if (ctx.signal.aborted) throw interruption(ctx.signal, activity);
  if (error !== undefined) throw error;
  return unresolved(report).length > 0 ? EXIT.problemsFound : EXIT.ok;
}

/** The tenant's base URL: http(s), no trailing slash, and not one of its sub-paths that users paste by mistake. */
function parseEndpoint(value: string | undefined): string {
  if (!value) throw new CliError('usage', '--endpoint (or LOGTO_ENDPOINT) is required: https://<tenant-id>.logto.app, or your self-hosted Logto\'s ENDPOINT.');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError('usage', `--endpoint must be a URL; got ${value}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError('usage', `--endpoint must be an http(s) URL; got ${value}.`);
  if (url.search || url.hash) throw new CliError('usage', `--endpoint takes no query or fragment; got ${value}.`);
  const base = url.href.replace(/\/+$/, '');
  const suffix = /\/(oidc|api)$/.exec(url.pathname.replace(/\/+$/, ''));
  if (suffix) throw new CliError('usage', `--endpoint is the tenant's address without /${suffix[1]}: did you mean ${base.slice(0, -suffix[0].length)}?`);
  return base;
}

/** LOGTO_M2M_SECRET, else a prompt on the terminal (ctx.stdin) that does not echo. */
async function readSecret(ctx: CliContext): Promise<string> {
  const fromEnv = ctx.env.LOGTO_M2M_SECRET;
  if (fromEnv) return fromEnv;
  const input = ctx.stdin;
  if (!input?.isTTY) {
    throw new CliError('usage', 'Set LOGTO_M2M_SECRET to the machine-to-machine app\'s secret (it is never taken as a flag, so it stays out of shell history); on a terminal you are asked for it.');
  }
  const secret = await askOnTerminal('Secret of the machine-to-machine app (not shown): ', { input, output: ctx.stderr, hidden: true, signal: ctx.signal });
  // Ctrl-D (or an empty line) gives none.
  if (!secret?.trim()) throw new CliError('usage', 'No secret given.');
  return secret.trim();
}
