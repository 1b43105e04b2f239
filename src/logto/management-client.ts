import { createApiClient } from '@logto/api/management';
import { managementAnswer } from './management-answer.js';
import { LogtoError } from './logto-error.js';
import type { ApiResource, Application, OidcClientMetadata, Role, RoleWithScopes, ResourceScope, TenantUser } from './tenant-objects.js';

export interface ManagementClientOptions {
  /** The tenant's base URL, without a trailing slash (the Management API lives under `<endpoint>/api`). */
  readonly endpoint: string;
  /** Returns a Management API access token (see `managementTokenSource`). */
  readonly getToken: () => Promise<string>;
  /** Timeout of each request, in milliseconds. Default: 15000. */
  readonly timeoutMs?: number;
  /** Aborting it (Ctrl-C) stops the request in flight; the operation then fails. Default: none. */
  readonly signal?: AbortSignal | undefined;
}

/** Logto's largest page (`koaPagination`'s `maxPageSize`). */
const PAGE_SIZE = 100;
/** Enough for 10,000 roles or user roles; a longer list means something is wrong, not that we should keep going. */
const MAX_PAGES = 100;
/** Logto's search syntax (`search.<field>=…&mode.<field>=exact`) is the form-exploded `search_params` object. */
const SEARCH_SERIALIZER = { object: { style: 'form', explode: true } } as const;

export type ManagementClient = ReturnType<typeof createManagementClient>;

/**
 * The Management API calls `logto setup` makes, through `@logto/api`'s typed client (paths, parameters and
 * bodies are checked against Logto's OpenAPI types at compile time). Every failure is a LogtoError.
 */
export function createManagementClient(options: ManagementClientOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const api = createApiClient({ baseUrl: options.endpoint, getToken: options.getToken });
  const { signal } = options;
  api.use({ onRequest: ({ request }) => new Request(request, { signal: signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]) : AbortSignal.timeout(timeoutMs) }) });

  /** Pages through a list Logto always paginates (20 per page unless asked), to the end. */
  async function allPages<T>(fetchPage: (page: number) => Promise<T[]>): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const items = await fetchPage(page);
      all.push(...items);
      if (items.length < PAGE_SIZE) return all;
    }
    throw new LogtoError('logto_invalid_answer', `Logto kept sending pages after ${MAX_PAGES * PAGE_SIZE} entries; giving up.`);
  }

  return {
    /** Every API resource with its scopes (Logto returns them all when no page is asked for). */
    async listResources(): Promise<ApiResource[]> {
      const data = await managementAnswer('Listing the API resources', () => api.GET('/api/resources', { params: { query: { includeScopes: 'true' } } }));
      return list(data, 'API resources').map((r) => ({ id: r.id, name: r.name, indicator: r.indicator, scopes: (r.scopes ?? []).map(toScope) }));
    },
    async createResource(body: { name: string; indicator: string }): Promise<ApiResource> {
      const r = await managementAnswer(`Creating the API resource ${body.indicator}`, () => api.POST('/api/resources', { body }));
      return { id: r.id, name: r.name, indicator: r.indicator, scopes: [] };
    },
    async renameResource(id: string, name: string): Promise<void> {
      await managementAnswer(`Renaming the API resource to ${name}`, () => api.PATCH('/api/resources/{id}', { params: { path: { id } }, body: { name } }));
    },
    async createScope(resourceId: string, body: { name: string; description: string }): Promise<ResourceScope> {
      const s = await managementAnswer(`Creating the permission ${body.name}`, () =>
        api.POST('/api/resources/{resourceId}/scopes', { params: { path: { resourceId } }, body }),
      );
      return toScope(s);
    },
    async describeScope(resourceId: string, scopeId: string, description: string): Promise<void> {
      await managementAnswer('Updating a permission\'s description', () =>
        api.PATCH('/api/resources/{resourceId}/scopes/{scopeId}', { params: { path: { resourceId, scopeId } }, body: { description } }),
      );
    },
    /** Every role, page by page (Logto always paginates roles). */
    async listRoles(): Promise<Role[]> {
      const roles = await allPages(async (page) =>
        list(await managementAnswer('Listing the roles', () => api.GET('/api/roles', { params: { query: { page, page_size: PAGE_SIZE } } })), 'roles'),
      );
      return roles.map(toRole);
    },
    async roleScopes(role: Role): Promise<RoleWithScopes> {
      const data = await managementAnswer(`Listing the permissions of the role ${role.name}`, () => api.GET('/api/roles/{id}/scopes', { params: { path: { id: role.id } } }));
      return { ...role, scopes: list(data, 'role permissions').map((s) => ({ id: s.id, name: s.name, resourceId: s.resourceId })) };
    },
    async createRole(body: { name: string; description: string; scopeIds: string[]; isDefault: boolean }): Promise<Role> {
      const r = await managementAnswer(`Creating the role ${body.name}`, () => api.POST('/api/roles', { body: { ...body, type: 'User' } }));
      return toRole(r);
    },
    async setDefaultRole(role: Role, isDefault: boolean): Promise<void> {
      await managementAnswer(`Changing the default flag of the role ${role.name}`, () => api.PATCH('/api/roles/{id}', { params: { path: { id: role.id } }, body: { isDefault } }));
    },
    async addRoleScopes(role: Role, scopeIds: string[]): Promise<void> {
      await managementAnswer(`Adding permissions to the role ${role.name}`, () => api.POST('/api/roles/{id}/scopes', { params: { path: { id: role.id } }, body: { scopeIds } }));
    },
    async removeRoleScope(role: Role, scopeId: string): Promise<void> {
      await managementAnswer(`Removing a permission from the role ${role.name}`, () => api.DELETE('/api/roles/{id}/scopes/{scopeId}', { params: { path: { id: role.id, scopeId } } }));
    },
    /** Every application (Logto returns them all when no page is asked for). */
    async listApplications(): Promise<Application[]> {
      const data = await managementAnswer('Listing the applications', () => api.GET('/api/applications'));
      return list(data, 'applications').map(toApplication);
    },
    async createNativeApp(name: string, redirectUris: readonly string[]): Promise<Application> {
      const a = await managementAnswer(`Creating the application ${name}`, () =>
        api.POST('/api/applications', { body: { name, type: 'Native', oidcClientMetadata: uriMetadata({ redirectUris, postLogoutRedirectUris: [] }) } }),
      );
      return toApplication(a);
    },
    /** Logto replaces the whole metadata object on update, so the rest of it is sent back unchanged. */
    async setRedirectUris(app: Application, redirectUris: readonly string[]): Promise<void> {
      await managementAnswer(`Updating the redirect URIs of ${app.name}`, () =>
        api.PATCH('/api/applications/{id}', { params: { path: { id: app.id } }, body: { oidcClientMetadata: uriMetadata({ ...app.oidcClientMetadata, redirectUris }) } }),
      );
    },
    async findUser(username: string): Promise<TenantUser | undefined> {
      const data = await managementAnswer(`Looking up the user ${username}`, () =>
        api.GET('/api/users', {
          params: { query: { search_params: { 'search.username': username, 'mode.username': 'exact' } } },
          querySerializer: SEARCH_SERIALIZER,
        }),
      );
      // Logto's exact search ignores case, but usernames are case-sensitive (CASE_SENSITIVE_USERNAME defaults to
      // true): `Alice` is someone else.
      const user = list(data, 'users').find((u) => u.username === username);
      return user && { id: user.id, username: user.username };
    },
    async createUser(body: { username: string; password: string }): Promise<TenantUser> {
      const u = await managementAnswer(`Creating the user ${body.username}`, () => api.POST('/api/users', { body }));
      return { id: u.id, username: u.username };
    },
    async userRoleIds(user: TenantUser): Promise<string[]> {
      const roles = await allPages(async (page) =>
        list(
          await managementAnswer(`Listing the roles of ${user.username}`, () =>
            api.GET('/api/users/{userId}/roles', { params: { path: { userId: user.id }, query: { page, page_size: PAGE_SIZE } } }),
          ),
          'user roles',
        ),
      );
      return roles.map((r) => r.id);
    },
    async assignUserRoles(user: TenantUser, roleIds: string[]): Promise<void> {
      await managementAnswer(`Assigning roles to ${user.username}`, () => api.POST('/api/users/{userId}/roles', { params: { path: { userId: user.id } }, body: { roleIds } }));
    },
  };
}

function list<T>(data: T[] | undefined, what: string): T[] {
  if (!Array.isArray(data)) throw new LogtoError('logto_invalid_answer', `Logto answered the list of ${what} with something that is not a list.`);
  return data;
}

const toScope = (s: { id: string; name: string; description?: string | null }): ResourceScope => ({ id: s.id, name: s.name, description: s.description ?? null });
const toRole = (r: { id: string; name: string; type: Role['type']; isDefault: boolean }): Role => ({ id: r.id, name: r.name, type: r.type, isDefault: r.isDefault });

function toApplication(a: { id: string; name: string; type: Application['type']; isThirdParty: boolean; oidcClientMetadata: Record<string, unknown> }): Application {
  const metadata = a.oidcClientMetadata;
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    isThirdParty: a.isThirdParty,
    oidcClientMetadata: { ...metadata, redirectUris: strings(metadata.redirectUris), postLogoutRedirectUris: strings(metadata.postLogoutRedirectUris) },
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Redirect URIs are strings on the wire (Logto validates each as a URL), but the OpenAPI description that
 * `@logto/api` is generated from types the items as objects (a zod `.refine()` the generator could not
 * express). Checked against Logto 1.37.1: strings are accepted, objects refused. Hence this one cast.
 */
function uriMetadata(metadata: OidcClientMetadata): { redirectUris: Array<Record<string, unknown>>; postLogoutRedirectUris: Array<Record<string, unknown>> } {
  return metadata as unknown as { redirectUris: Array<Record<string, unknown>>; postLogoutRedirectUris: Array<Record<string, unknown>> };
}
