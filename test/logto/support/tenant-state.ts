import { randomBytes } from 'node:crypto';
import type { ApplicationRow, ResourceRow, RoleRow, ScopeRow, UserRow } from './logto-api-types.js';

/** A refusal as Logto's RequestError sends it: HTTP status plus `{ code, message, data? }`. */
export class LogtoRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** Plan limits, as Logto Cloud enforces them (403 `subscription.limit_exceeded`); OSS has none. */
export interface Limits {
  resourcesLimit?: number;
  scopesPerResourceLimit?: number;
  userRolesLimit?: number;
  scopesPerRoleLimit?: number;
  applicationsLimit?: number;
}

export const TENANT_ID = 'default';
export const MANAGEMENT_INDICATOR = 'https://default.logto.app/api';
const MANAGEMENT_RESOURCE_ID = 'management-api';

/** Logto's `generateStandardId`: 21 lowercase letters and digits. */
const standardId = (size = 21) => Array.from(randomBytes(size), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
const notFound = (id: string) => new LogtoRefusal(404, 'entity.not_exists_with_id', `The entity with ID \`${id}\` does not exist.`);

/**
 * The tenant the double keeps, with the rules Logto applies (checked in its source, packages/core/src/routes,
 * v1.37.1): unique indicator, unique role name, unique scope name per resource, no spaces in scope names,
 * Management API scopes not assignable to user roles, default roles given to new users, usernames unique
 * (case-sensitively, Logto's default), exact search without regard to case. Rows have the types `@logto/api` gives the answers.
 */
export function createTenantState(limits: Limits = {}) {
  const now = () => Date.now();
  const resources: ResourceRow[] = [{ tenantId: TENANT_ID, id: MANAGEMENT_RESOURCE_ID, name: 'Logto Management API', indicator: MANAGEMENT_INDICATOR, isDefault: false, accessTokenTtl: 3600 }];
  const scopes: ScopeRow[] = [{ tenantId: TENANT_ID, id: standardId(), resourceId: MANAGEMENT_RESOURCE_ID, name: 'all', description: 'Default scope for Management API, allows all permissions.', createdAt: now() }];
  const roles: RoleRow[] = [];
  const rolesScopes: Array<{ roleId: string; scopeId: string }> = [];
  const applications: Array<ApplicationRow & { secret: string }> = [];
  const applicationsRoles: Array<{ applicationId: string; roleId: string }> = [];
  const users: Array<UserRow & { password?: string }> = [];
  const usersRoles: Array<{ userId: string; roleId: string }> = [];

  const quota = (key: keyof Limits, usage: number, adding = 1) => {
    const limit = limits[key];
    if (limit !== undefined && usage + adding > limit) {
      throw new LogtoRefusal(403, 'subscription.limit_exceeded', 'You have reached the limit of your subscription plan.', { key, limit, usage });
    }
  };
  const resource = (id: string) => resources.find((r) => r.id === id) ?? (() => { throw notFound(id); })();
  const role = (id: string) => roles.find((r) => r.id === id) ?? (() => { throw notFound(id); })();
  const scope = (id: string) => scopes.find((s) => s.id === id) ?? (() => { throw notFound(id); })();
  const user = (id: string) => users.find((u) => u.id === id) ?? (() => { throw notFound(id); })();
  const application = (id: string) => applications.find((a) => a.id === id) ?? (() => { throw notFound(id); })();
  const managementGuard = (r: ResourceRow) => {
    if (r.id === MANAGEMENT_RESOURCE_ID) throw new LogtoRefusal(400, 'resource.cannot_modify_management_api', 'The management API resource cannot be modified.');
  };
  const assignableToRole = (r: RoleRow, scopeIds: readonly string[]) => {
    for (const scopeId of scopeIds) {
      const s = scope(scopeId);
      if (r.type === 'User' && s.resourceId === MANAGEMENT_RESOURCE_ID) {
        throw new LogtoRefusal(400, 'role.management_api_scopes_not_assignable_to_user_role', 'Cannot assign management API scopes to user role.');
      }
    }
  };

  return {
    /** The plan's limits; a test may change them (an upgrade) between runs. */
    limits,
    resources,
    scopes,
    roles,
    rolesScopes,
    applications,
    applicationsRoles,
    users,
    usersRoles,
    resource,
    role,
    scope,
    user,
    application,

    createResource(body: { name: string; indicator: string; accessTokenTtl?: number }): ResourceRow {
      quota('resourcesLimit', resources.length - 1);
      if (resources.some((r) => r.indicator === body.indicator)) {
        throw new LogtoRefusal(422, 'resource.resource_identifier_in_use', `The API identifier ${body.indicator} is already in use.`);
      }
      const row: ResourceRow = { tenantId: TENANT_ID, id: standardId(), name: body.name, indicator: body.indicator, isDefault: false, accessTokenTtl: body.accessTokenTtl ?? 3600 };
      resources.push(row);
      return row;
    },
    updateResource(id: string, body: { name?: string; accessTokenTtl?: number }): ResourceRow {
      const r = resource(id);
      managementGuard(r);
      Object.assign(r, body);
      return r;
    },
    createScope(resourceId: string, body: { name: string; description?: string | null }): ScopeRow {
      quota('scopesPerResourceLimit', scopes.filter((s) => s.resourceId === resourceId).length);
      if (/\s/.test(body.name)) throw new LogtoRefusal(400, 'scope.name_with_space', 'The name of the scope cannot contain any spaces.');
      managementGuard(resource(resourceId));
      if (scopes.some((s) => s.resourceId === resourceId && s.name === body.name)) throw new LogtoRefusal(422, 'scope.name_exists', `The scope name ${body.name} is already in use`);
      const row: ScopeRow = { tenantId: TENANT_ID, id: standardId(), resourceId, name: body.name, description: body.description ?? null, createdAt: now() };
      scopes.push(row);
      return row;
    },
    updateScope(resourceId: string, scopeId: string, body: { name?: string; description?: string | null }): ScopeRow {
      managementGuard(resource(resourceId));
      const s = scopes.find((x) => x.id === scopeId && x.resourceId === resourceId) ?? (() => { throw notFound(scopeId); })();
      Object.assign(s, body);
      return s;
    },
    createRole(body: { name: string; description: string; type?: 'User' | 'MachineToMachine'; isDefault?: boolean; scopeIds?: string[] }): RoleRow {
      quota('userRolesLimit', roles.filter((r) => r.type === 'User').length);
      if (roles.some((r) => r.name === body.name)) throw new LogtoRefusal(422, 'role.name_in_use', `This role name ${body.name} is already in use`);
      const row: RoleRow = { tenantId: TENANT_ID, id: standardId(), name: body.name, description: body.description, type: body.type ?? 'User', isDefault: body.isDefault ?? false };
      assignableToRole(row, body.scopeIds ?? []);
      roles.push(row);
      for (const scopeId of body.scopeIds ?? []) rolesScopes.push({ roleId: row.id, scopeId });
      return row;
    },
    updateRole(id: string, body: { name?: string; description?: string; isDefault?: boolean }): RoleRow {
      const r = role(id);
      if (body.name && roles.some((x) => x.name === body.name && x.id !== id)) throw new LogtoRefusal(422, 'role.name_in_use', `This role name ${body.name} is already in use`);
      Object.assign(r, body);
      return r;
    },
    addRoleScopes(id: string, scopeIds: string[]): ScopeRow[] {
      const r = role(id);
      quota('scopesPerRoleLimit', rolesScopes.filter((x) => x.roleId === id).length, scopeIds.length);
      for (const scopeId of scopeIds) {
        if (rolesScopes.some((x) => x.roleId === id && x.scopeId === scopeId)) throw new LogtoRefusal(422, 'role.scope_exists', `The scope id ${scopeId} has already been added to this role`);
      }
      assignableToRole(r, scopeIds);
      for (const scopeId of scopeIds) rolesScopes.push({ roleId: id, scopeId });
      return rolesScopes.filter((x) => x.roleId === id).map((x) => scope(x.scopeId));
    },
    removeRoleScope(id: string, scopeId: string): void {
      role(id);
      const at = rolesScopes.findIndex((x) => x.roleId === id && x.scopeId === scopeId);
      if (at < 0) throw notFound(scopeId);
      rolesScopes.splice(at, 1);
    },
    createApplication(body: { name: string; type: ApplicationRow['type']; description?: string | null; isThirdParty?: boolean; oidcClientMetadata?: { redirectUris: string[]; postLogoutRedirectUris: string[] } }) {
      quota('applicationsLimit', applications.filter((a) => a.type !== 'MachineToMachine').length);
      const metadata = { redirectUris: [], postLogoutRedirectUris: [], ...body.oidcClientMetadata } as unknown as ApplicationRow['oidcClientMetadata'];
      const row: ApplicationRow & { secret: string } = {
        tenantId: TENANT_ID, id: standardId(), name: body.name, secret: standardId(32), description: body.description ?? null, type: body.type,
        oidcClientMetadata: metadata, customClientMetadata: {}, protectedAppMetadata: null, customData: {}, isThirdParty: body.isThirdParty ?? false, createdAt: now(),
        // In @logto/api 1.42's types; Logto 1.37.1 leaves it out of list rows. setup reads neither.
        appLevelAccessControlEnabled: false,
      };
      applications.push(row);
      return row;
    },
    createUser(body: { username?: string; password?: string; name?: string }) {
      // CASE_SENSITIVE_USERNAME defaults to true: `Alice` and `alice` are two users (seen on 1.37.1).
      if (body.username && users.some((u) => u.username === body.username)) {
        throw new LogtoRefusal(422, 'user.username_already_in_use', 'This username is already in use.');
      }
      const t = now();
      const row: UserRow & { password?: string } = {
        id: standardId(12), username: body.username ?? null, primaryEmail: null, primaryPhone: null, name: body.name ?? null, avatar: null, customData: {}, identities: {},
        lastSignInAt: null, createdAt: t, updatedAt: t, profile: {}, applicationId: null, isSuspended: false, hasPassword: Boolean(body.password), password: body.password,
      };
      users.push(row);
      // Logto gives every new user the default roles, through the Management API too.
      for (const r of roles.filter((x) => x.isDefault && x.type === 'User')) usersRoles.push({ userId: row.id, roleId: r.id });
      return row;
    },
    assignUserRoles(userId: string, roleIds: string[]): { roleIds: string[]; addedRoleIds: string[] } {
      user(userId);
      const held = new Set(usersRoles.filter((x) => x.userId === userId).map((x) => x.roleId));
      const adding = roleIds.filter((id) => !held.has(id));
      for (const id of adding) {
        if (role(id).type !== 'User') throw new LogtoRefusal(422, 'user.invalid_role_type', 'Can not assign machine to machine role to user.');
      }
      for (const id of adding) usersRoles.push({ userId, roleId: id });
      return { roleIds, addedRoleIds: adding };
    },
    /** Deletes with Logto's cascades (a resource's scopes, a role's or user's assignments). */
    deleteResource(id: string): void {
      managementGuard(resource(id));
      resources.splice(resources.indexOf(resource(id)), 1);
      for (const s of scopes.filter((x) => x.resourceId === id)) {
        scopes.splice(scopes.indexOf(s), 1);
        for (const rs of rolesScopes.filter((x) => x.scopeId === s.id)) rolesScopes.splice(rolesScopes.indexOf(rs), 1);
      }
    },
    deleteRole(id: string): void {
      roles.splice(roles.indexOf(role(id)), 1);
      for (const list of [rolesScopes, usersRoles, applicationsRoles] as Array<Array<{ roleId: string }>>) {
        for (const x of list.filter((y) => y.roleId === id)) list.splice(list.indexOf(x), 1);
      }
    },
    deleteApplication(id: string): void {
      applications.splice(applications.indexOf(application(id)), 1);
    },
    deleteUser(id: string): void {
      users.splice(users.indexOf(user(id)), 1);
      for (const x of usersRoles.filter((y) => y.userId === id)) usersRoles.splice(usersRoles.indexOf(x), 1);
    },
    /** A machine-to-machine app for the token endpoint; with `managementRole` it may call the Management API. */
    addMachineApp(options: { managementRole: boolean }): { id: string; secret: string } {
      const app = this.createApplication({ name: `m2m ${applications.length + 1}`, type: 'MachineToMachine' });
      if (options.managementRole) {
        let accessRole = roles.find((r) => r.name === 'Logto Management API access');
        if (!accessRole) {
          accessRole = { tenantId: TENANT_ID, id: standardId(), name: 'Logto Management API access', description: 'This default role grants access to the Logto management API.', type: 'MachineToMachine', isDefault: false };
          roles.push(accessRole);
          rolesScopes.push({ roleId: accessRole.id, scopeId: scopes.find((s) => s.resourceId === MANAGEMENT_RESOURCE_ID)!.id });
        }
        applicationsRoles.push({ applicationId: app.id, roleId: accessRole.id });
      }
      return { id: app.id, secret: app.secret };
    },
    /** Whether the app's roles grant the Management API's `all` scope. */
    mayManage(applicationId: string): boolean {
      const roleIds = applicationsRoles.filter((x) => x.applicationId === applicationId).map((x) => x.roleId);
      return rolesScopes.some((x) => roleIds.includes(x.roleId) && scope(x.scopeId).resourceId === MANAGEMENT_RESOURCE_ID);
    },
  };
}

export type TenantState = ReturnType<typeof createTenantState>;
