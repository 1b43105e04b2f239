import type { AppKey, DesiredTenant } from './desired-tenant.js';
import type { Application, Role, UserWithRoles } from './tenant-objects.js';
import type { TenantSnapshot } from './tenant-snapshot.js';

export type ObjectKind = 'api-resource' | 'permission' | 'role' | 'application' | 'user';

/**
 * What one object needs: nothing (`right`), to be created (`missing`), a fix (`differs`: it exists but not
 * as todo-mcp needs it; fixed only with --fix), or a person's decision (`conflict`: setup cannot repair it).
 */
export type ObjectState = 'right' | 'missing' | 'differs' | 'conflict';

/** A change `apply` can make. Scopes and roles are named, not referenced by id: ids of new objects appear while applying. */
export type Change =
  | { readonly op: 'create-resource'; readonly name: string; readonly indicator: string }
  | { readonly op: 'rename-resource'; readonly name: string }
  | { readonly op: 'create-scope'; readonly name: string; readonly description: string }
  | { readonly op: 'describe-scope'; readonly scopeId: string; readonly description: string }
  | { readonly op: 'create-role'; readonly name: string; readonly description: string; readonly scopes: readonly string[]; readonly isDefault: boolean }
  | { readonly op: 'fix-role'; readonly role: Role; readonly addScopes: readonly string[]; readonly removeScopeIds: readonly string[]; readonly isDefault?: boolean }
  | { readonly op: 'create-app'; readonly key: AppKey; readonly name: string; readonly redirectUris: readonly string[] }
  | { readonly op: 'fix-app'; readonly app: Application; readonly redirectUris: readonly string[] }
  | { readonly op: 'create-user'; readonly username: string; readonly roles: readonly string[] }
  | { readonly op: 'fix-user'; readonly user: UserWithRoles; readonly addRoles: readonly string[] };

/** What the plan and the report say about one object. */
export interface ObjectFacts<K extends string = ObjectKind> {
  readonly kind: K;
  /** How the report names it: the indicator, the permission, the role, the app's or user's name. */
  readonly name: string;
  /** For `differs` and `conflict`: what is not as it should be, one phrase each. */
  readonly differences: readonly string[];
  /** Worth knowing but not a difference (e.g. a near-miss indicator elsewhere in the tenant). */
  readonly notes: readonly string[];
  /** The object's id when it exists. */
  readonly id?: string;
  /** For apps: which of todo-mcp's apps this is. */
  readonly app?: AppKey;
}

export interface PlanItem extends ObjectFacts {
  readonly state: ObjectState;
  /** The change for `missing` and `differs`. */
  readonly change?: Change;
}

const item = (kind: ObjectKind, name: string, fields: Partial<PlanItem> & Pick<PlanItem, 'state'>): PlanItem => ({ kind, name, differences: [], notes: [], ...fields });

/** Compares the tenant with what todo-mcp needs, object by object, in the order they must be created. No I/O. */
export function planTenant(desired: DesiredTenant, tenant: TenantSnapshot): PlanItem[] {
  const plan: PlanItem[] = [];
  const { indicator, name } = desired.resource;
  const resource = tenant.resources.find((r) => r.indicator === indicator);
  const nearMisses = tenant.resources.filter((r) => r !== resource && sameButForSlashOrCase(r.indicator, indicator)).map((r) => `another API resource has the indicator ${r.indicator}, which is not ${indicator}: tokens for it are refused`);
  if (!resource) {
    plan.push(item('api-resource', indicator, { state: 'missing', notes: nearMisses, change: { op: 'create-resource', name, indicator } }));
  } else if (resource.name !== name) {
    plan.push(item('api-resource', indicator, { state: 'differs', id: resource.id, notes: nearMisses, differences: [`is named ${JSON.stringify(resource.name)}, not ${JSON.stringify(name)}`], change: { op: 'rename-resource', name } }));
  } else {
    plan.push(item('api-resource', indicator, { state: 'right', id: resource.id, notes: nearMisses }));
  }

  for (const scope of desired.scopes) {
    const found = resource?.scopes.find((s) => s.name === scope.name);
    if (!found) plan.push(item('permission', scope.name, { state: 'missing', change: { op: 'create-scope', ...scope } }));
    else if (found.description !== scope.description) {
      plan.push(item('permission', scope.name, { state: 'differs', id: found.id, differences: [`is described as ${JSON.stringify(found.description)}, not ${JSON.stringify(scope.description)}`], change: { op: 'describe-scope', scopeId: found.id, description: scope.description } }));
    } else plan.push(item('permission', scope.name, { state: 'right', id: found.id }));
  }

  for (const role of desired.roles) {
    const found = tenant.roles.find((r) => r.name === role.name);
    if (!found) {
      plan.push(item('role', role.name, { state: 'missing', change: { op: 'create-role', ...role } }));
      continue;
    }
    if (found.type !== 'User') {
      plan.push(item('role', role.name, { state: 'conflict', id: found.id, differences: [`is a ${found.type} role, not a user role; Logto cannot change a role's type: rename or delete it in the Console, then run this again`] }));
      continue;
    }
    const held = found.scopes.filter((s) => s.resourceId === resource?.id);
    const addScopes = role.scopes.filter((s) => !held.some((h) => h.name === s));
    const extra = held.filter((h) => !role.scopes.includes(h.name));
    const differences = [
      ...addScopes.map((s) => `lacks the permission ${s}`),
      ...extra.map((s) => `also grants ${s.name}`),
      ...(found.isDefault !== role.isDefault ? [role.isDefault ? 'is not a default role (new users would get no permission)' : 'is a default role (every new user would get it)'] : []),
    ];
    if (differences.length === 0) plan.push(item('role', role.name, { state: 'right', id: found.id }));
    else {
      const change: Change = { op: 'fix-role', role: found, addScopes, removeScopeIds: extra.map((s) => s.id), ...(found.isDefault !== role.isDefault ? { isDefault: role.isDefault } : {}) };
      plan.push(item('role', role.name, { state: 'differs', id: found.id, differences, change }));
    }
  }

  for (const app of desired.apps) plan.push(planApp(app, tenant.applications));

  for (const user of desired.users) {
    const found = tenant.users.find((u) => u.username === user.username);
    if (!found) {
      plan.push(item('user', user.username, { state: 'missing', change: { op: 'create-user', username: user.username, roles: user.roles } }));
      continue;
    }
    const addRoles = user.roles.filter((r) => {
      const role = tenant.roles.find((t) => t.name === r);
      return !role || !found.roleIds.includes(role.id);
    });
    if (addRoles.length === 0) plan.push(item('user', user.username, { state: 'right', id: found.id }));
    else plan.push(item('user', user.username, { state: 'differs', id: found.id, differences: addRoles.map((r) => `lacks the role ${r}`), change: { op: 'fix-user', user: found, addRoles } }));
  }
  return plan;
}

function planApp(app: DesiredTenant['apps'][number], applications: readonly Application[]): PlanItem {
  const named = applications.filter((a) => a.name === app.name);
  const native = named.filter((a) => a.type === 'Native');
  const notes = native.length > 1 ? [`${native.length} Native apps are named ${JSON.stringify(app.name)}; using ${native[0]!.id}`] : [];
  const found = native[0];
  if (!found) {
    const other = named[0];
    if (other) {
      return item('application', app.name, { state: 'conflict', app: app.key, id: other.id, differences: [`is a ${other.type} app, not a Native app; Logto cannot change an app's type: rename or delete it in the Console, then run this again`] });
    }
    return item('application', app.name, { state: 'missing', app: app.key, change: { op: 'create-app', key: app.key, name: app.name, redirectUris: [app.redirectUri] } });
  }
  if (found.isThirdParty) {
    return item('application', app.name, { state: 'conflict', app: app.key, id: found.id, notes, differences: ['is a third-party app (its users would be asked for consent and get no API permissions); create a first-party Native app instead'] });
  }
  const uris = found.oidcClientMetadata.redirectUris;
  if (uris.includes(app.redirectUri)) return item('application', app.name, { state: 'right', app: app.key, id: found.id, notes });
  return item('application', app.name, {
    state: 'differs',
    app: app.key,
    id: found.id,
    notes,
    differences: [`lacks the redirect URI ${app.redirectUri}`],
    change: { op: 'fix-app', app: found, redirectUris: [...uris, app.redirectUri] },
  });
}

/** `http://localhost:3001/` or `HTTP://LOCALHOST:3001` for `http://localhost:3001`: the typo the tutorial warns about. */
function sameButForSlashOrCase(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\/+$/, '');
  return norm(a) === norm(b);
}
