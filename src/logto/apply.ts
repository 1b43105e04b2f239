import { randomBytes } from 'node:crypto';
import type { AppKey } from './desired-tenant.js';
import type { ManagementClient } from './management-client.js';
import type { ObjectFacts, ObjectKind, PlanItem } from './plan.js';
import type { TenantSnapshot } from './tenant-snapshot.js';

/** One line of the report: what became of one object. */
export type Outcome = 'created' | 'already right' | 'fixed' | 'would create' | 'would fix' | 'differs' | 'conflict';

export interface ItemResult extends ObjectFacts<ObjectKind | 'config-file'> {
  readonly outcome: Outcome;
  /** A demo user's password, only on the run that created the user (Logto never shows it again). */
  readonly password?: string;
}

export interface ApplyOptions {
  /** Report what would change and change nothing. Default: false. */
  readonly dryRun?: boolean;
  /** Also repair objects that exist but differ. Default: false (they are only reported). */
  readonly fix?: boolean;
  /** Password for a new demo user. Default: 24 random URL-safe characters. */
  readonly newPassword?: () => string;
}

export interface ApplyResult {
  readonly results: ItemResult[];
  /** The ids of todo-mcp's apps, created or found (absent in a dry run that would create them). */
  readonly appIds: Partial<Record<AppKey, string>>;
  /** The failure that stopped the run; `results` then holds what was done before it. */
  readonly error?: unknown;
}

/**
 * Carries out a plan in order (resource, permissions, roles, apps, users): ids of objects created early are
 * looked up by name for the later ones. Stops at the first failure and returns what it did so far, so a
 * second run (which finds those objects) completes the rest.
 */
export async function applyPlan(client: ManagementClient, plan: readonly PlanItem[], tenant: TenantSnapshot, options: ApplyOptions = {}): Promise<ApplyResult> {
  const newPassword = options.newPassword ?? (() => randomBytes(18).toString('base64url'));
  const resourceItem = plan.find((p) => p.kind === 'api-resource');
  let resourceId = resourceItem?.id;
  const scopeIds = new Map(plan.filter((p) => p.kind === 'permission' && p.id).map((p) => [p.name, p.id!]));
  const roleIds = new Map(tenant.roles.map((r) => [r.name, r.id]));
  const appIds: Partial<Record<AppKey, string>> = {};
  for (const p of plan) if (p.app && p.id && p.state !== 'conflict') appIds[p.app] = p.id;
  const idsOf = (names: readonly string[], map: Map<string, string>) => names.map((n) => map.get(n)).filter((id): id is string => id !== undefined);

  const results: ItemResult[] = [];
  const done = (p: PlanItem, outcome: Outcome, extra: Partial<ItemResult> = {}) =>
    results.push({ kind: p.kind, name: p.name, outcome, differences: p.differences, notes: p.notes, ...(p.id ? { id: p.id } : {}), ...(p.app ? { app: p.app } : {}), ...extra });

  try {
    for (const p of plan) {
      if (p.state === 'right') done(p, 'already right');
      else if (p.state === 'conflict') done(p, 'conflict');
      else if (p.state === 'differs' && !options.fix) done(p, 'differs');
      else if (options.dryRun) done(p, p.state === 'missing' ? 'would create' : 'would fix');
      else {
        const change = p.change!;
        switch (change.op) {
          case 'create-resource':
            resourceId = (await client.createResource({ name: change.name, indicator: change.indicator })).id;
            done(p, 'created', { id: resourceId });
            break;
          case 'rename-resource':
            await client.renameResource(resourceId!, change.name);
            done(p, 'fixed');
            break;
          case 'create-scope': {
            const scope = await client.createScope(resourceId!, { name: change.name, description: change.description });
            scopeIds.set(scope.name, scope.id);
            done(p, 'created', { id: scope.id });
            break;
          }
          case 'describe-scope':
            await client.describeScope(resourceId!, change.scopeId, change.description);
            done(p, 'fixed');
            break;
          case 'create-role': {
            const role = await client.createRole({ name: change.name, description: change.description, scopeIds: idsOf(change.scopes, scopeIds), isDefault: change.isDefault });
            roleIds.set(role.name, role.id);
            done(p, 'created', { id: role.id });
            break;
          }
          case 'fix-role':
            if (change.addScopes.length > 0) await client.addRoleScopes(change.role, idsOf(change.addScopes, scopeIds));
            for (const scopeId of change.removeScopeIds) await client.removeRoleScope(change.role, scopeId);
            if (change.isDefault !== undefined) await client.setDefaultRole(change.role, change.isDefault);
            done(p, 'fixed');
            break;
          case 'create-app': {
            const app = await client.createNativeApp(change.name, change.redirectUris);
            appIds[change.key] = app.id;
            done(p, 'created', { id: app.id });
            break;
          }
          case 'fix-app':
            await client.setRedirectUris(change.app, change.redirectUris);
            done(p, 'fixed');
            break;
          case 'create-user': {
            const password = newPassword();
            const user = await client.createUser({ username: change.username, password });
            // Logto gives new users the default role; the others are assigned here (assigning a held role is a no-op).
            const roles = idsOf(change.roles, roleIds);
            if (roles.length > 0) await client.assignUserRoles(user, roles);
            done(p, 'created', { id: user.id, password });
            break;
          }
          case 'fix-user':
            await client.assignUserRoles(change.user, idsOf(change.addRoles, roleIds));
            done(p, 'fixed');
            break;
        }
      }
    }
  } catch (error) {
    return { results, appIds, error };
  }
  return { results, appIds };
}
