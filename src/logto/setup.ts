import type { AppKey } from './desired-tenant.js';
import { desiredTenant } from './desired-tenant.js';
import { applyPlan, type ItemResult } from './apply.js';
import { configStep, NEW_APP_ID } from './config-step.js';
import { createManagementClient } from './management-client.js';
import { managementTokenSource } from './management-token.js';
import { planTenant, type PlanItem } from './plan.js';
import { readTenant } from './tenant-snapshot.js';

export interface LogtoSetupOptions {
  /** The tenant's base URL without a trailing slash: `https://<tenant>.logto.app` or an OSS `ENDPOINT`. */
  readonly endpoint: string;
  /** Machine-to-machine app with the Management API role. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The tenant's Management API indicator. */
  readonly managementResource: string;
  /** The MCP server's resource identifier (= API resource indicator). */
  readonly resource: string;
  /** The MCP endpoint the CLI calls, written to the config file. */
  readonly server: string;
  /** The MCP server's port, written to the config file. */
  readonly port: number;
  readonly cliRedirectUri: string;
  readonly inspectorRedirectUri: string;
  /** Create the demo users. Default: false. */
  readonly demoUsers?: boolean;
  /** Repair objects that differ. Default: false. */
  readonly fix?: boolean;
  /** Change nothing, report what would change. Default: false. */
  readonly dryRun?: boolean;
  /** Where the config file goes. */
  readonly cwd: string;
  /** Timeout of each request, in milliseconds. Default: 15000. */
  readonly timeoutMs?: number;
  /** Aborting it (Ctrl-C) stops the request in flight; the operation then fails. Default: none. */
  readonly signal?: AbortSignal | undefined;
  /** Password generator for demo users (tests). Default: random. */
  readonly newPassword?: () => string;
}

export interface LogtoSetupReport {
  readonly endpoint: string;
  readonly issuer: string;
  readonly dryRun: boolean;
  readonly fix: boolean;
  /** One entry per object, in the order they were handled. */
  readonly results: readonly ItemResult[];
  /** App IDs of todo-mcp's apps (absent when not created yet, e.g. in a dry run). */
  readonly appIds: Partial<Record<AppKey, string>>;
  /** What stopped the run, if something did; `results` holds what was done before. */
  readonly error?: unknown;
}

/** Signs in to the Management API, then reads, plans and (unless dry-running) applies. Throws only before anything is read. */
export async function runLogtoSetup(options: LogtoSetupOptions): Promise<LogtoSetupReport> {
  const issuer = `${options.endpoint}/oidc`;
  const { client, plan, tenant } = await readAndPlan(options);
  const applied = await applyPlan(client, plan, tenant, { dryRun: options.dryRun, fix: options.fix, newPassword: options.newPassword });
  const results = [...applied.results];
  const report = (error?: unknown): LogtoSetupReport => ({ endpoint: options.endpoint, issuer, dryRun: Boolean(options.dryRun), fix: Boolean(options.fix), results, appIds: applied.appIds, ...(error === undefined ? {} : { error }) });
  if (applied.error !== undefined) return report(applied.error);

  const clientId = applied.appIds.cli ?? (options.dryRun ? NEW_APP_ID : undefined);
  if (!clientId) {
    results.push({ kind: 'config-file', name: 'todo-mcp.config.json', outcome: 'conflict', differences: ['not written: there is no CLI app to name in it'], notes: [] });
    return report();
  }
  try {
    results.push(await configStep({ cwd: options.cwd, dryRun: options.dryRun, fix: options.fix, values: { issuer, resource: options.resource, server: options.server, clientId, port: options.port } }));
  } catch (error) {
    return report(error);
  }
  return report();
}

/** The read-only half: what `doctor` uses to compare a tenant with what setup would create. */
export async function readAndPlan(options: Omit<LogtoSetupOptions, 'server' | 'port' | 'cwd' | 'fix' | 'dryRun'>) {
  const getToken = await managementTokenSource(options);
  const client = createManagementClient({ endpoint: options.endpoint, getToken, timeoutMs: options.timeoutMs, signal: options.signal });
  const desired = desiredTenant({ resource: options.resource, cliRedirectUri: options.cliRedirectUri, inspectorRedirectUri: options.inspectorRedirectUri, demoUsers: options.demoUsers });
  const tenant = await readTenant(client, desired);
  const plan: PlanItem[] = planTenant(desired, tenant);
  return { client, plan, tenant };
}
