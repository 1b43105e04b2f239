import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkQuery, checkShape, correctErrata } from './check-shape.js';
import { managementRoutes, type Route } from './management-routes.js';
import { loadOperationShapes } from './openapi-shapes.js';
import { createTenantState, LogtoRefusal, MANAGEMENT_INDICATOR, type Limits, type TenantState } from './tenant-state.js';

export interface ManagementApiDouble {
  /** The tenant's endpoint (`http://127.0.0.1:<port>`); issuer `<url>/oidc`. */
  readonly url: string;
  readonly state: TenantState;
  /** A machine-to-machine app with the Management API role. */
  readonly m2m: { readonly id: string; readonly secret: string };
  /** One without it: it gets a token, and every API call answers 403. */
  readonly m2mWithoutRole: { readonly id: string; readonly secret: string };
  /** Every request, in order (`POST /api/roles`). */
  readonly requests: string[];
  /** Requests that do not conform to `@logto/api`'s OpenAPI types: each a request the real API would refuse. */
  readonly violations: string[];
  close(): Promise<void>;
}

// The types take seconds to load: once per test worker.
let shapesOf: ReturnType<typeof loadOperationShapes> | undefined;

/**
 * A Logto tenant's Management API and the token endpoint, on 127.0.0.1: the endpoints `logto setup` uses,
 * every request checked against the OpenAPI types `@logto/api` ships, state kept with Logto's rules.
 * Answers and refusals follow Logto 1.37.1 (checked against a real instance: /work/notes/real-logto-run.md).
 */
export async function startManagementApiDouble(options: { limits?: Limits } = {}): Promise<ManagementApiDouble> {
  shapesOf ??= loadOperationShapes();
  const state = createTenantState(options.limits);
  const m2m = state.addMachineApp({ managementRole: true });
  const m2mWithoutRole = state.addMachineApp({ managementRole: false });
  const routes = managementRoutes(state);
  const tokens = new Map<string, { scope: string; expiresAt: number }>();
  const requests: string[] = [];
  const violations: string[] = [];
  let issuer = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: `double failed: ${(error as Error).message}` }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    const text = await readBody(req);
    requests.push(`${req.method} ${url.pathname}`);
    if (req.method === 'GET' && url.pathname === '/oidc/.well-known/openid-configuration') return send(res, 200, discovery(issuer));
    if (req.method === 'POST' && url.pathname === '/oidc/token') return token(req, text, res);
    if (!url.pathname.startsWith('/api/')) return send(res, 404, 'Not Found');

    const match = findRoute(routes, req.method ?? '', url.pathname);
    if (!match) return send(res, 404, { code: 'guard.invalid_input', message: 'Not found.' });
    const auth = req.headers.authorization;
    if (!auth) return send(res, 401, { code: 'auth.authorization_header_missing', message: 'Authorization header is missing.' });
    const grant = tokens.get(auth.replace(/^Bearer /, ''));
    if (!grant || grant.expiresAt < Date.now()) return send(res, 401, { code: 'auth.unauthorized', message: 'Unauthorized. Please check credentials and its scope.' });
    if (!grant.scope.split(' ').includes('all')) return send(res, 403, { code: 'auth.forbidden', message: 'Forbidden. Please check your user roles and permissions.' });

    const shapes = shapesOf!(match.route.operationId);
    let body: unknown;
    const problems = checkQuery(url.searchParams, shapes.query);
    if (text) {
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) problems.push(`content-type ${req.headers['content-type']} is not application/json`);
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { message: 'The request body is not JSON.' });
      }
      problems.push(...(shapes.body ? checkShape(body, correctErrata(shapes.body)) : ['a body where the operation takes none']));
    } else if (shapes.bodyRequired) problems.push('the body is required');
    if (problems.length > 0) {
      violations.push(`${req.method} ${url.pathname} (${match.route.operationId}): ${problems.join('; ')}`);
      return send(res, 400, { code: 'guard.invalid_input', message: 'The request body is invalid.', details: problems.join('\n') });
    }
    try {
      const answer = match.route.handle({ params: match.params, query: url.searchParams, body });
      if (answer.total !== undefined) res.setHeader('Total-Number', String(answer.total));
      send(res, answer.status, answer.body);
    } catch (error) {
      if (!(error instanceof LogtoRefusal)) throw error;
      send(res, error.status, { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) });
    }
  }

  /** Client credentials as Logto's oidc-provider answers them (statuses and error codes seen on 1.37.1). */
  function token(req: IncomingMessage, text: string, res: ServerResponse): void {
    const form = new URLSearchParams(text);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replaceAll('+', ' ')))
      : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
    const oidcError = (status: number, error: string, description: string) => {
      // oidc-provider repeats a 401's error in a Basic challenge (seen on Logto 1.37.1); clients then read the header.
      if (status === 401) res.setHeader('WWW-Authenticate', `Basic realm="${issuer}", error="${error}", error_description="${description}"`);
      send(res, status, { code: `oidc.${error}`, message: 'An OIDC error occurred.', error, error_description: description });
    };
    const app = state.applications.find((a) => a.id === id);
    if (!app) return oidcError(400, 'invalid_client', `invalid client ${id}`);
    if (app.type !== 'MachineToMachine' || app.secret !== secret) return oidcError(401, 'invalid_client', 'client authentication failed');
    if (form.get('grant_type') !== 'client_credentials') return oidcError(400, 'unsupported_grant_type', 'unsupported grant_type requested');
    const resource = form.get('resource');
    if (!resource) return oidcError(400, 'invalid_target', 'both `resource` and `organization_id` are not provided');
    if (!state.resources.some((r) => r.indicator === resource)) return oidcError(400, 'invalid_target', 'resource indicator is missing, or unknown');
    const granted = resource === MANAGEMENT_INDICATOR && state.mayManage(app.id) && (form.get('scope') ?? '').split(' ').includes('all') ? 'all' : '';
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, { scope: granted, expiresAt: Date.now() + 3_600_000 });
    // Logto leaves `scope` out entirely when it grants none.
    send(res, 200, { access_token: accessToken, expires_in: 3600, token_type: 'Bearer', ...(granted ? { scope: granted } : {}) });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${url}/oidc`;
  return {
    url,
    state,
    m2m,
    m2mWithoutRole,
    requests,
    violations,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function discovery(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none'],
  };
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${route.path.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }).end(text);
}
