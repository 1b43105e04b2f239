import * as oidc from 'openid-client';
import { discoverAuthorizationServerForClient } from '../client/discover-authorization-server.js';
import { oauthErrorCode, oauthFailure } from '../client/oauth-failure.js';
import { openIdConfiguration } from '../client/openid-configuration.js';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { abortableFetch } from '../http/abortable-fetch.js';
import { LogtoError } from './logto-error.js';

/** The scope Logto's Management API wants on every token (`@logto/api` calls it `allScope`). */
const MANAGEMENT_SCOPE = 'all';
/** Ask for a new token this long before the old one expires, so no call goes out with a dying token. */
const EXPIRY_LEEWAY_SECONDS = 60;

export interface ManagementTokenOptions {
  /** The tenant's base URL (`https://<tenant>.logto.app`, or an OSS `ENDPOINT`), without a trailing slash. */
  readonly endpoint: string;
  /** App ID of a machine-to-machine app that has the Management API role. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Indicator of the tenant's Management API (`https://<tenant>.logto.app/api`; `https://default.logto.app/api` on OSS). */
  readonly managementResource: string;
  /** Timeout of each request, in milliseconds. Default: 15000. */
  readonly timeoutMs?: number;
  /** Aborting it (Ctrl-C) stops the request in flight; the operation then fails. Default: none. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A getter of Management API access tokens (client credentials, RFC 6749 §4.4), cached until shortly before
 * expiry. It checks first that a Logto tenant answers at the endpoint, so a wrong `--endpoint` is reported
 * as such rather than as a failed token request.
 *
 * Written with openid-client rather than `@logto/api`'s `ClientCredentials`: that class turns every
 * refusal into "Failed to fetch access token: 401 Unauthorized" (the OAuth error code, which tells
 * `invalid_client` from `invalid_target`, is dropped) and warns through `console.warn`.
 */
export async function managementTokenSource(options: ManagementTokenOptions): Promise<() => Promise<string>> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const issuer = `${options.endpoint}/oidc`;
  let config: oidc.Configuration;
  try {
    const { metadata } = await discoverAuthorizationServerForClient(issuer, { timeoutMs, fetch: abortableFetch(fetch, options.signal) });
    config = openIdConfiguration({
      metadata,
      client: { clientId: options.clientId, clientSecret: options.clientSecret, authMethod: 'client_secret_basic', kind: 'pre-registered' },
      timeoutSeconds: Math.ceil(timeoutMs / 1000),
      signal: options.signal,
    });
  } catch (error) {
    throw discoveryFailure(error, options.endpoint);
  }

  let cached: { value: string; expiresAt: number } | undefined;
  return async () => {
    const now = Math.floor(Date.now() / 1000);
    if (cached && cached.expiresAt - EXPIRY_LEEWAY_SECONDS > now) return cached.value;
    let response: Awaited<ReturnType<typeof oidc.clientCredentialsGrant>>;
    try {
      response = await oidc.clientCredentialsGrant(config, { resource: options.managementResource, scope: MANAGEMENT_SCOPE });
    } catch (error) {
      throw tokenFailure(error, options);
    }
    cached = { value: response.access_token, expiresAt: now + (response.expires_in ?? 0) };
    return cached.value;
  };
}

function discoveryFailure(error: unknown, endpoint: string): LogtoError {
  const where = `--endpoint is the address your users sign in at: https://<tenant-id>.logto.app on Logto Cloud, Logto's ENDPOINT (e.g. http://localhost:3001) on a self-hosted Logto — not the Console's admin address, and without /oidc or /api.`;
  if (isTodoMcpError(error)) {
    if (error.code === 'unreachable') {
      return new LogtoError('logto_unreachable', `Cannot reach Logto at ${endpoint}. Check --endpoint and your network.\n${error.message}`, { cause: error });
    }
    if (error.code === 'unsupported_server' && /plain http/.test(error.message)) {
      return new LogtoError('logto_not_found', `${error.message} The M2M secret is never sent over plain http to another machine; use the tenant's https address.`, { cause: error });
    }
    return new LogtoError('logto_not_found', `No Logto tenant answers at ${endpoint}: ${error.message}\n${where}`, { cause: error });
  }
  return new LogtoError('logto_not_found', `No Logto tenant answers at ${endpoint}: ${(error as Error).message}\n${where}`, { cause: error });
}

function tokenFailure(error: unknown, options: ManagementTokenOptions): LogtoError {
  const code = oauthErrorCode(error);
  const failure = oauthFailure(error, 'Getting a Management API token', 'login_failed');
  if (failure.code === 'unreachable') return new LogtoError('logto_unreachable', failure.message, { cause: error });
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new LogtoError(
      'logto_credentials_rejected',
      `Logto refused the machine-to-machine credentials (${failure.message}). Check --m2m-id (${options.clientId}) and LOGTO_M2M_SECRET: ` +
        'Console → Applications → your machine-to-machine app shows its App ID and secrets; it must be of type "Machine-to-machine". ' +
        // Seen against a real self-hosted Logto (v1.37.1): its seeded m-default app answered invalid_client here.
        "On a self-hosted Logto the app must belong to the tenant at --endpoint (the default tenant: create it in the Console); the admin tenant's own apps, such as the seeded m-default, are refused.",
      { cause: error },
    );
  }
  if (code === 'invalid_target') {
    return new LogtoError(
      'logto_management_resource_unknown',
      `Logto does not know the Management API indicator ${options.managementResource} (${failure.message}). ` +
        'Pass --management-resource with the identifier shown in Console → API resources → "Logto Management API" ' +
        '(https://<tenant-id>.logto.app/api on Logto Cloud, https://default.logto.app/api on a self-hosted Logto).',
      { cause: error },
    );
  }
  return new LogtoError('logto_request_failed', `${failure.message}.`, { cause: error });
}
