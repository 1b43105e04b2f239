import { DEFAULT_CHECKLIST_VALUES } from '../config/provider-checklist.js';
import { skipped, type DoctorCheck } from '../doctor/check.js';
import { defaultManagementResource } from '../logto/management-resource.js';

/** What doctor's options say about the tenant (each settled flag > environment > config file). */
export interface LogtoDoctorSettings {
  /** The configured issuer (`--issuer`, TODO_MCP_ISSUER, config "issuer"). */
  readonly issuer?: string | undefined;
  /** The configured resource identifier. Default: http://localhost:3001. */
  readonly resource?: string | undefined;
  /** The CLI's configured client id. */
  readonly clientId?: string | undefined;
}

/**
 * doctor's optional Logto check: only when LOGTO_M2M_ID and LOGTO_M2M_SECRET are set. The tenant is
 * LOGTO_ENDPOINT, else the configured issuer without its `/oidc`.
 */
export async function logtoDoctorChecks(env: Readonly<Record<string, string | undefined>>, settings: LogtoDoctorSettings, timeoutMs: number): Promise<DoctorCheck[]> {
  const clientId = env.LOGTO_M2M_ID;
  const clientSecret = env.LOGTO_M2M_SECRET;
  if (!clientId || !clientSecret) return [];
  const { issuer } = settings;
  const endpoint = (env.LOGTO_ENDPOINT || (issuer?.replace(/\/+$/, '').endsWith('/oidc') ? issuer.replace(/\/+$/, '').slice(0, -'/oidc'.length) : undefined))?.replace(/\/+$/, '');
  if (!endpoint) {
    return [skipped('logto-tenant', 'Logto tenant', 'LOGTO_M2M_ID is set but no Logto issuer is configured; set LOGTO_ENDPOINT to check the tenant.')];
  }
  const { checkLogtoTenant } = await import('../doctor/check-logto-tenant.js');
  return checkLogtoTenant({
    endpoint,
    clientId,
    clientSecret,
    managementResource: env.LOGTO_MANAGEMENT_RESOURCE || defaultManagementResource(endpoint),
    resource: settings.resource ?? DEFAULT_CHECKLIST_VALUES.resource,
    cliRedirectUri: DEFAULT_CHECKLIST_VALUES.cliRedirectUri,
    inspectorRedirectUri: DEFAULT_CHECKLIST_VALUES.inspectorRedirectUri,
    configuredClientId: settings.clientId,
    timeoutMs,
  });
}
