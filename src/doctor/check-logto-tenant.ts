import { LogtoError } from '../logto/logto-error.js';
import type { PlanItem } from '../logto/plan.js';
import { readAndPlan } from '../logto/setup.js';
import { error, ok, warning, type DoctorCheck } from './check.js';

export interface LogtoTenantCheckOptions {
  /** The tenant's base URL (issuer without `/oidc`). */
  readonly endpoint: string;
  /** Machine-to-machine credentials with the Management API role. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly managementResource: string;
  /** The MCP server's resource identifier. */
  readonly resource: string;
  readonly cliRedirectUri: string;
  readonly inspectorRedirectUri: string;
  /** The CLI's client id from the config, compared with the tenant's CLI app. Default: not compared. */
  readonly configuredClientId?: string;
  /** Timeout per request in milliseconds. Default 5000. */
  readonly timeoutMs?: number;
}

const ID = 'logto-tenant';
const TITLE = 'Logto tenant';

/**
 * Compares the tenant with what `todo-mcp logto setup` would create (read-only: nothing is changed) and lists
 * each difference, so a role that lost a permission or an app that lost its redirect URI shows up here
 * before a user meets `invalid_target`, `invalid_redirect_uri` or a 403.
 */
export async function checkLogtoTenant(options: LogtoTenantCheckOptions): Promise<DoctorCheck[]> {
  let plan: PlanItem[];
  try {
    ({ plan } = await readAndPlan({ ...options, timeoutMs: options.timeoutMs ?? 5_000 }));
  } catch (cause) {
    if (!(cause instanceof LogtoError)) throw cause;
    return [error(ID, TITLE, `could not be read: ${cause.message}`, 'Fix the above, or unset LOGTO_M2M_ID / LOGTO_M2M_SECRET to skip this check.')];
  }
  const off = plan.filter((p) => p.state !== 'right');
  const checks: DoctorCheck[] = [];
  if (off.length === 0) {
    checks.push(ok(ID, TITLE, `${options.endpoint} has what todo-mcp needs (API resource ${options.resource}, its permissions, the roles and the default role, the CLI and Inspector apps).`));
  } else {
    const lines = off.map((p) => `${p.kind} ${p.name}: ${p.state === 'missing' ? 'missing' : p.differences.join('; ')}`);
    const conflicts = off.some((p) => p.state === 'conflict');
    checks.push(
      error(
        ID,
        TITLE,
        `${off.length} object(s) differ from what \`todo-mcp logto setup\` creates:\n        ${lines.join('\n        ')}`,
        conflicts ? 'Resolve the conflicts in the Logto Console, then run `todo-mcp logto setup --fix`.' : 'Run `todo-mcp logto setup --fix` (add --dry-run first to see the changes).',
      ),
    );
  }
  const cliApp = plan.find((p) => p.app === 'cli');
  if (options.configuredClientId && cliApp?.id && cliApp.state !== 'conflict' && cliApp.id !== options.configuredClientId) {
    checks.push(
      warning(ID, 'Logto CLI app', `the config's clientId ${options.configuredClientId} is not the tenant's app "${cliApp.name}" (${cliApp.id}).`, 'Run `todo-mcp logto setup --fix` to write the right clientId, unless you chose another app on purpose.'),
    );
  }
  return checks;
}
