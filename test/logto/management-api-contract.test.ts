import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementApiDouble, type ManagementApiDouble } from './support/management-api-double.js';

/**
 * What the Management API answers, asserted the same way against the double and — when
 * LOGTO_CONTRACT_ENDPOINT, LOGTO_CONTRACT_M2M_ID/_SECRET and LOGTO_CONTRACT_NOROLE_ID/_SECRET are set — a
 * real Logto (a self-hosted one, management resource https://default.logto.app/api). Each expectation was
 * first observed on Logto 1.37.1; running this file against a real tenant checks the double is still right.
 * Objects it creates carry a random suffix and are deleted at the end.
 */
interface Target {
  readonly name: string;
  readonly endpoint: string;
  readonly m2m: { id: string; secret: string };
  readonly noRole: { id: string; secret: string };
  readonly double?: ManagementApiDouble;
}

const env = process.env;
const real: Target | undefined =
  env.LOGTO_CONTRACT_ENDPOINT && env.LOGTO_CONTRACT_M2M_ID && env.LOGTO_CONTRACT_M2M_SECRET && env.LOGTO_CONTRACT_NOROLE_ID && env.LOGTO_CONTRACT_NOROLE_SECRET
    ? {
        name: `real Logto at ${env.LOGTO_CONTRACT_ENDPOINT}`,
        endpoint: env.LOGTO_CONTRACT_ENDPOINT,
        m2m: { id: env.LOGTO_CONTRACT_M2M_ID, secret: env.LOGTO_CONTRACT_M2M_SECRET },
        noRole: { id: env.LOGTO_CONTRACT_NOROLE_ID, secret: env.LOGTO_CONTRACT_NOROLE_SECRET },
      }
    : undefined;

const MANAGEMENT = 'https://default.logto.app/api';

for (const kind of ['double', 'real'] as const) {
  describe.skipIf(kind === 'real' && !real)(`Management API contract: ${kind}`, () => {
    let t: Target;
    let token: string;
    const suffix = randomBytes(4).toString('hex');
    const cleanup: string[] = [];

    const tokenFor = (id: string, secret: string, resource = MANAGEMENT) =>
      fetch(`${t.endpoint}/oidc/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'all' }),
      });
    const api = async (method: string, path: string, body?: unknown, bearer: string | undefined = token) => {
      const response = await fetch(`${t.endpoint}${path}`, {
        method,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    };
    /** A request the real API refuses as malformed; on the double it must also be recorded as a violation. */
    const expectMalformed = (path: string) => {
      if (t.double) expect(t.double.violations.splice(0).some((v) => v.includes(path))).toBe(true);
    };

    beforeAll(async () => {
      if (kind === 'double') {
        const double = await startManagementApiDouble();
        t = { name: 'double', endpoint: double.url, m2m: double.m2m, noRole: double.m2mWithoutRole, double };
      } else t = real!;
      const response = await tokenFor(t.m2m.id, t.m2m.secret);
      token = ((await response.json()) as { access_token: string }).access_token;
    });
    afterAll(async () => {
      for (const path of cleanup.reverse()) await api('DELETE', path);
      if (t.double) expect(t.double.violations).toEqual([]);
      await t.double?.close();
    });

    it('token endpoint: good credentials get scope all; without the role no scope; refusals as oidc-provider words them', async () => {
      const good = await tokenFor(t.m2m.id, t.m2m.secret);
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({ token_type: 'Bearer', scope: 'all', expires_in: 3600 });
      const noRole = (await (await tokenFor(t.noRole.id, t.noRole.secret)).json()) as Record<string, unknown>;
      expect(noRole.access_token).toEqual(expect.any(String));
      expect(noRole).not.toHaveProperty('scope');
      const badSecret = await tokenFor(t.m2m.id, 'wrong');
      expect([badSecret.status, ((await badSecret.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
      // The error is also in a challenge header, which is what openid-client reads when it is there.
      expect(badSecret.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+\/oidc", error="invalid_client", error_description="client authentication failed"$/);
      const unknown = await tokenFor(`nosuchapp${suffix}`, 'x');
      expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([400, 'invalid_client']);
      const target = await tokenFor(t.m2m.id, t.m2m.secret, 'https://wrong.logto.app/api');
      expect([target.status, ((await target.json()) as { error: string }).error]).toEqual([400, 'invalid_target']);
    });

    it('API authentication: no header 401, a bad token 401, a token without `all` 403', async () => {
      expect(await api('GET', '/api/resources', undefined, '')).toMatchObject({ status: 401, body: { code: 'auth.authorization_header_missing' } });
      expect(await api('GET', '/api/resources', undefined, 'garbage')).toMatchObject({ status: 401, body: { code: 'auth.unauthorized' } });
      const noRole = ((await (await tokenFor(t.noRole.id, t.noRole.secret)).json()) as { access_token: string }).access_token;
      expect(await api('GET', '/api/resources', undefined, noRole)).toMatchObject({ status: 403, body: { code: 'auth.forbidden' } });
    });

    it('resources and scopes: indicator unique, scope names unique per resource and without spaces', async () => {
      const indicator = `https://contract-${suffix}.example`;
      expect(await api('POST', '/api/resources', { name: 'contract' })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input' } });
      expectMalformed('/api/resources');
      const created = await api('POST', '/api/resources', { name: `contract ${suffix}`, indicator });
      expect(created).toMatchObject({ status: 201, body: { indicator, isDefault: false, accessTokenTtl: 3600, scopes: [] } });
      cleanup.push(`/api/resources/${created.body.id}`);
      expect(await api('POST', '/api/resources', { name: 'again', indicator })).toMatchObject({ status: 422, body: { code: 'resource.resource_identifier_in_use' } });
      const scopes = `/api/resources/${created.body.id}/scopes`;
      expect(await api('POST', scopes, { name: 'a:b', description: 'd' })).toMatchObject({ status: 201, body: { name: 'a:b', description: 'd', resourceId: created.body.id } });
      expect(await api('POST', scopes, { name: 'a:b', description: 'again' })).toMatchObject({ status: 422, body: { code: 'scope.name_exists' } });
      expect(await api('POST', scopes, { name: 'a b', description: 'space' })).toMatchObject({ status: 400, body: { code: 'scope.name_with_space' } });
      const listed = await api('GET', '/api/resources?includeScopes=true');
      expect(listed.body.find((r: { indicator: string }) => r.indicator === indicator).scopes.map((s: { name: string }) => s.name)).toEqual(['a:b']);
    });

    it('roles: names unique, description required, scopes once per role, default flag, always paginated', async () => {
      const name = `contract-${suffix}`;
      expect(await api('POST', '/api/roles', { name })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input' } });
      expectMalformed('/api/roles');
      const role = await api('POST', '/api/roles', { name, description: 'contract', type: 'User', isDefault: true });
      expect(role).toMatchObject({ status: 200, body: { name, type: 'User', isDefault: true } });
      cleanup.push(`/api/roles/${role.body.id}`);
      expect(await api('POST', '/api/roles', { name, description: 'again' })).toMatchObject({ status: 422, body: { code: 'role.name_in_use' } });

      const other = await api('POST', '/api/roles', { name: `${name}-2`, description: 'contract' });
      cleanup.push(`/api/roles/${other.body.id}`);
      const page = await api('GET', '/api/roles?page=1&page_size=1');
      expect(page.body).toHaveLength(1);
      expect(Number(page.headers.get('total-number'))).toBeGreaterThanOrEqual(2);
      expect(await api('GET', '/api/roles?page_size=101')).toMatchObject({ status: 400, body: { code: 'guard.invalid_pagination' } });

      const resource = await api('POST', '/api/resources', { name: `contract r ${suffix}`, indicator: `https://contract-r-${suffix}.example` });
      cleanup.splice(0, 0, `/api/resources/${resource.body.id}`);
      const scope = await api('POST', `/api/resources/${resource.body.id}/scopes`, { name: 'x:y', description: 'd' });
      expect(await api('POST', `/api/roles/${role.body.id}/scopes`, { scopeIds: [scope.body.id] })).toMatchObject({ status: 201 });
      expect(await api('POST', `/api/roles/${role.body.id}/scopes`, { scopeIds: [scope.body.id] })).toMatchObject({ status: 422, body: { code: 'role.scope_exists' } });
      const roleScopes = await api('GET', `/api/roles/${role.body.id}/scopes`);
      expect(roleScopes.body.map((s: { name: string; resourceId: string }) => [s.name, s.resourceId])).toEqual([['x:y', resource.body.id]]);

      // A user created through the API gets the default roles. Usernames are unique as spelt (Logto's
      // CASE_SENSITIVE_USERNAME defaults to true), while the exact search ignores case.
      const password = randomBytes(12).toString('base64url');
      const user = await api('POST', '/api/users', { username: `contract_${suffix}`, password });
      expect(user.status).toBe(200);
      cleanup.push(`/api/users/${user.body.id}`);
      const roles = await api('GET', `/api/users/${user.body.id}/roles`);
      expect(roles.body.map((r: { name: string }) => r.name)).toContain(name);
      expect(await api('POST', '/api/users', { username: `contract_${suffix}`, password })).toMatchObject({ status: 422, body: { code: 'user.username_already_in_use' } });
      const upper = await api('POST', '/api/users', { username: `CONTRACT_${suffix}`, password });
      expect(upper.status).toBe(200);
      cleanup.push(`/api/users/${upper.body.id}`);
      const found = await api('GET', `/api/users?search.username=${`Contract_${suffix}`}&mode.username=exact`);
      expect(found.body.map((u: { id: string }) => u.id).sort()).toEqual([user.body.id, upper.body.id].sort());
      expect(await api('POST', `/api/users/${user.body.id}/roles`, { roleIds: [other.body.id] })).toMatchObject({ status: 201, body: { addedRoleIds: [other.body.id] } });

      // Leave no default role behind on a shared tenant.
      expect(await api('PATCH', `/api/roles/${role.body.id}`, { isDefault: false })).toMatchObject({ status: 200, body: { isDefault: false } });
    });

    it('applications: redirect URIs are strings (the types say objects), metadata is replaced whole on update', async () => {
      const bad = await api('POST', '/api/applications', { name: `contract ${suffix}`, type: 'Native', oidcClientMetadata: { redirectUris: [{ uri: 'x' }], postLogoutRedirectUris: [] } });
      expect(bad).toMatchObject({ status: 400, body: { code: 'guard.invalid_input' } });
      expectMalformed('/api/applications');
      const uris = ['http://127.0.0.1/callback', 'http://127.0.0.1:6274/oauth/callback'];
      const app = await api('POST', '/api/applications', { name: `contract ${suffix}`, type: 'Native', oidcClientMetadata: { redirectUris: uris, postLogoutRedirectUris: [] } });
      expect(app).toMatchObject({ status: 200, body: { type: 'Native', isThirdParty: false, oidcClientMetadata: { redirectUris: uris, postLogoutRedirectUris: [] } } });
      cleanup.push(`/api/applications/${app.body.id}`);
      const patched = await api('PATCH', `/api/applications/${app.body.id}`, { oidcClientMetadata: { redirectUris: [uris[0]], postLogoutRedirectUris: [] } });
      expect(patched.body.oidcClientMetadata).toEqual({ redirectUris: [uris[0]], postLogoutRedirectUris: [] });
      const listed = await api('GET', '/api/applications?types=Native');
      expect(listed.headers.get('total-number')).toBeNull();
      expect(listed.body.find((a: { id: string }) => a.id === app.body.id).oidcClientMetadata.redirectUris).toEqual([uris[0]]);
    });
  });
}
