import { LogtoRefusal, type TenantState } from './tenant-state.js';

/** What a route handler gets: path parameters, the query, the checked JSON body. */
export interface RouteInput {
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked against the operation's shape first
}

/** A handler's answer: status, JSON body, and for paginated lists the `Total-Number` header. */
export interface RouteAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly total?: number;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** The operation id in `@logto/api`'s types, whose shapes the request is checked against. */
  readonly operationId: string;
  readonly handle: (input: RouteInput) => RouteAnswer;
}

/**
 * Logto's pagination (`koaPagination`): 20 per page unless asked, at most 100; lists marked optional return
 * everything when neither `page` nor `page_size` is given.
 */
function paginate<T>(items: T[], query: URLSearchParams, optional: boolean): RouteAnswer {
  const page = query.get('page');
  const size = query.get('page_size');
  if (optional && !page && !size) return { status: 200, body: items };
  const pageNumber = page ? Number(page) : 1;
  const pageSize = size ? Number(size) : 20;
  if (!(pageNumber > 0) || !(pageSize > 0) || pageSize > 100) throw new LogtoRefusal(400, 'guard.invalid_pagination', 'The pagination value is not valid.');
  return { status: 200, body: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), total: items.length };
}

/** `search.<field>=v&mode.<field>=exact` on a list, as `parseSearchParamsForSearch` reads it (case-insensitive by default). */
function search<T extends Record<string, unknown>>(items: T[], query: URLSearchParams): T[] {
  const caseSensitive = query.get('isCaseSensitive') === 'true';
  const fold = (v: unknown) => (caseSensitive ? String(v ?? '') : String(v ?? '').toLowerCase());
  let result = items;
  for (const [key, value] of query) {
    const field = /^search\.(\w+)$/.exec(key)?.[1];
    if (!field) continue;
    const exact = (query.get(`mode.${field}`) ?? query.get('mode') ?? 'like') === 'exact';
    const pattern = fold(value);
    result = result.filter((item) => (exact ? fold(item[field]) === pattern : fold(item[field]).includes(pattern.replaceAll('%', ''))));
  }
  return result;
}

/** The Management API endpoints `logto setup` uses, answering as Logto 1.37.1 does. */
export function managementRoutes(state: TenantState): Route[] {
  const withScopes = (resourceId: string) => state.scopes.filter((s) => s.resourceId === resourceId);
  return [
    {
      method: 'GET', path: '/api/resources', operationId: 'ListResources',
      handle: ({ query }) => {
        const include = ['true', '1', 'yes'].includes(query.get('includeScopes') ?? '');
        return paginate(state.resources.map((r) => (include ? { ...r, scopes: withScopes(r.id) } : r)), query, true);
      },
    },
    { method: 'POST', path: '/api/resources', operationId: 'CreateResource', handle: ({ body }) => ({ status: 201, body: { ...state.createResource(body), scopes: [] } }) },
    { method: 'PATCH', path: '/api/resources/:id', operationId: 'UpdateResource', handle: ({ params, body }) => ({ status: 200, body: state.updateResource(params.id!, body) }) },
    {
      method: 'GET', path: '/api/resources/:resourceId/scopes', operationId: 'ListResourceScopes',
      handle: ({ params, query }) => paginate(search(withScopes(params.resourceId!), query), query, false),
    },
    { method: 'POST', path: '/api/resources/:resourceId/scopes', operationId: 'CreateResourceScope', handle: ({ params, body }) => ({ status: 201, body: state.createScope(params.resourceId!, body) }) },
    {
      method: 'PATCH', path: '/api/resources/:resourceId/scopes/:scopeId', operationId: 'UpdateResourceScope',
      handle: ({ params, body }) => ({ status: 200, body: state.updateScope(params.resourceId!, params.scopeId!, body) }),
    },
    {
      method: 'GET', path: '/api/roles', operationId: 'ListRoles',
      handle: ({ query }) => {
        const type = query.get('type');
        const roles = search(state.roles, query).filter((r) => !type || r.type === type);
        const counted = roles.map((r) => ({
          ...r,
          usersCount: state.usersRoles.filter((x) => x.roleId === r.id).length,
          featuredUsers: [],
          applicationsCount: state.applicationsRoles.filter((x) => x.roleId === r.id).length,
          featuredApplications: [],
        }));
        return paginate(counted, query, false);
      },
    },
    { method: 'POST', path: '/api/roles', operationId: 'CreateRole', handle: ({ body }) => ({ status: 200, body: state.createRole(body) }) },
    { method: 'PATCH', path: '/api/roles/:id', operationId: 'UpdateRole', handle: ({ params, body }) => ({ status: 200, body: state.updateRole(params.id!, body) }) },
    {
      method: 'GET', path: '/api/roles/:id/scopes', operationId: 'ListRoleScopes',
      handle: ({ params, query }) => {
        state.role(params.id!);
        const scopes = state.rolesScopes.filter((x) => x.roleId === params.id).map((x) => state.scope(x.scopeId));
        return paginate(search(scopes, query).map((s) => ({ ...s, resource: state.resource(s.resourceId) })), query, true);
      },
    },
    { method: 'POST', path: '/api/roles/:id/scopes', operationId: 'CreateRoleScope', handle: ({ params, body }) => ({ status: 201, body: state.addRoleScopes(params.id!, body.scopeIds) }) },
    {
      method: 'DELETE', path: '/api/roles/:id/scopes/:scopeId', operationId: 'DeleteRoleScope',
      handle: ({ params }) => (state.removeRoleScope(params.id!, params.scopeId!), { status: 204 }),
    },
    {
      method: 'GET', path: '/api/applications', operationId: 'ListApplications',
      handle: ({ query }) => {
        const types = query.getAll('types');
        const apps = search(state.applications, query).filter((a) => types.length === 0 || types.includes(a.type));
        return paginate(apps, query, true);
      },
    },
    {
      method: 'POST', path: '/api/applications', operationId: 'CreateApplication',
      handle: ({ body }) => {
        for (const uri of [...(body.oidcClientMetadata?.redirectUris ?? []), ...(body.oidcClientMetadata?.postLogoutRedirectUris ?? [])]) checkRedirectUri(uri);
        return { status: 200, body: state.createApplication(body) };
      },
    },
    {
      method: 'PATCH', path: '/api/applications/:id', operationId: 'UpdateApplication',
      handle: ({ params, body }) => {
        const app = state.application(params.id!);
        for (const uri of [...(body.oidcClientMetadata?.redirectUris ?? []), ...(body.oidcClientMetadata?.postLogoutRedirectUris ?? [])]) checkRedirectUri(uri);
        // Logto updates with jsonb mode 'replace': a metadata object given replaces the stored one whole.
        Object.assign(app, body);
        return { status: 200, body: app };
      },
    },
    {
      method: 'GET', path: '/api/users', operationId: 'ListUsers',
      handle: ({ query }) => paginate(search(state.users, query).map(({ password: _password, ...u }) => u), query, false),
    },
    {
      method: 'POST', path: '/api/users', operationId: 'CreateUser',
      handle: ({ body }) => {
        if (body.username !== undefined && !/^[A-Z_a-z]\w*$/.test(body.username)) throw new LogtoRefusal(400, 'guard.invalid_input', 'The request input is invalid.');
        const { password: _password, ...user } = state.createUser(body);
        return { status: 200, body: user };
      },
    },
    {
      method: 'GET', path: '/api/users/:userId/roles', operationId: 'ListUserRoles',
      handle: ({ params, query }) => {
        state.user(params.userId!);
        const roles = state.usersRoles.filter((x) => x.userId === params.userId).map((x) => state.role(x.roleId)).filter((r) => r.type === 'User');
        return paginate(search(roles, query), query, false);
      },
    },
    { method: 'POST', path: '/api/users/:userId/roles', operationId: 'AssignUserRoles', handle: ({ params, body }) => ({ status: 201, body: state.assignUserRoles(params.userId!, body.roleIds) }) },
    // Deletes: not used by setup; they let the contract test clean up after itself on a real tenant.
    { method: 'DELETE', path: '/api/resources/:id', operationId: 'DeleteResource', handle: ({ params }) => (state.deleteResource(params.id!), { status: 204 }) },
    { method: 'DELETE', path: '/api/roles/:id', operationId: 'DeleteRole', handle: ({ params }) => (state.deleteRole(params.id!), { status: 204 }) },
    { method: 'DELETE', path: '/api/applications/:id', operationId: 'DeleteApplication', handle: ({ params }) => (state.deleteApplication(params.id!), { status: 204 }) },
    { method: 'DELETE', path: '/api/users/:userId', operationId: 'DeleteUser', handle: ({ params }) => (state.deleteUser(params.userId!), { status: 204 }) },
  ];
}

/** Logto's `validateRedirectUrl(url, 'web') || validateRedirectUrl(url, 'mobile')`, for the URIs setup registers. */
function checkRedirectUri(uri: unknown): void {
  if (typeof uri !== 'string' || !URL.canParse(uri)) throw new LogtoRefusal(400, 'guard.invalid_input', `The request input is invalid. Invalid redirect URI ${String(uri)}`);
}
