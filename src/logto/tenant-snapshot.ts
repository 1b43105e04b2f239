import type { DesiredTenant } from './desired-tenant.js';
import type { ManagementClient } from './management-client.js';
import type { ApiResource, Application, RoleWithScopes, UserWithRoles } from './tenant-objects.js';

/** What the tenant holds now, as far as `logto setup` cares. Read once, before anything is planned. */
export interface TenantSnapshot {
  readonly resources: readonly ApiResource[];
  /** Roles with the names setup manages (with their scopes); other roles are not read in detail. */
  readonly roles: readonly RoleWithScopes[];
  readonly applications: readonly Application[];
  /** The demo users that exist (with their role ids); absent ones are simply not listed. */
  readonly users: readonly UserWithRoles[];
}

/** Reads the objects `desired` is about; a handful of requests, whatever the tenant's size (roles and users by name). */
export async function readTenant(client: ManagementClient, desired: DesiredTenant): Promise<TenantSnapshot> {
  const resources = await client.listResources();
  const wanted = new Set(desired.roles.map((r) => r.name));
  const roles: RoleWithScopes[] = [];
  for (const role of await client.listRoles()) {
    if (wanted.has(role.name)) roles.push(await client.roleScopes(role));
  }
  const applications = await client.listApplications();
  const users: UserWithRoles[] = [];
  for (const { username } of desired.users) {
    const user = await client.findUser(username);
    if (user) users.push({ ...user, roleIds: await client.userRoleIds(user) });
  }
  return { resources, roles, applications, users };
}
