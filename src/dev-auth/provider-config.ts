import { randomUUID } from 'node:crypto';
import { errors, interactionPolicy, type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountDirectory } from './accounts.js';
import { parseScopeString } from '../oauth/scope-string.js';
import { decideScopes, recordDecision } from './grant-scopes.js';
import { SIGNING_ALG, type DevAuthKeys } from './keys.js';
import * as pages from './provider-pages.js';

/** The pre-registered first-party native client the todo-mcp CLI uses (like a Logto native app). */
export const DEV_CLI_CLIENT_ID = 'todo-mcp-cli';
/** Its redirect URI; any port is accepted on it (RFC 8252 §7.3). */
export const DEV_CLI_REDIRECT_URI = 'http://127.0.0.1/callback';
/** OpenID Connect scopes this server knows; API scopes belong to the resource, not to this list. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access']);

const FIRST_PARTY = new Set([DEV_CLI_CLIENT_ID]);
const DAY = 24 * 60 * 60;

export interface ProviderSetup {
  readonly keys: DevAuthKeys;
  readonly adapter: (model: string) => Adapter;
  readonly accounts: AccountDirectory;
  /** Resource indicators tokens may be issued for; any other is `invalid_target`. */
  readonly resources: readonly string[];
}

/** First-party clients skip the consent screen, as a Logto first-party app does. */
export const isFirstParty = (clientId: string | undefined) => clientId !== undefined && FIRST_PARTY.has(clientId);

export function scopePolicy(accounts: AccountDirectory, accountId: string | undefined) {
  return { oidcScopes: OIDC_SCOPES, apiScopes: accounts.allScopes, allowed: (accountId && accounts.find(accountId)?.scopes) || [] };
}

/** Native clients always get a consent prompt in stock oidc-provider; first-party ones must not. */
function consentPolicy() {
  const policy = interactionPolicy.base();
  const consent = policy.get('consent')!;
  const stock = consent.checks.get('native_client_prompt')!;
  consent.checks.remove('native_client_prompt');
  consent.checks.add(
    new interactionPolicy.Check(stock.reason, stock.description, stock.error, (ctx) =>
      isFirstParty(ctx.oidc.client?.clientId) ? false : stock.check(ctx),
    ),
    1,
  );
  return policy;
}

export function createProviderConfiguration(setup: ProviderSetup): Configuration {
  const { accounts, resources } = setup;

  /**
   * For first-party clients every authorization records a fresh grant of requested ∩ role scopes,
   * with the rest rejected, so the consent checks pass without a screen and role changes apply on
   * the next login. Other clients keep the stock behaviour (the grant their consent produced).
   */
  async function loadExistingGrant(ctx: KoaContextWithOIDC) {
    const { oidc } = ctx;
    const clientId = oidc.client!.clientId;
    const grantId = (oidc.result?.consent?.grantId as string | undefined) ?? oidc.session?.grantIdFor(clientId);
    if (!isFirstParty(clientId) || oidc.result?.consent?.grantId) {
      return grantId ? oidc.provider.Grant.find(grantId) : undefined;
    }
    const accountId = oidc.account!.accountId;
    const grant = new oidc.provider.Grant({ accountId, clientId });
    const requestedResources = Object.keys(oidc.resourceServers ?? {});
    recordDecision(
      grant,
      requestedResources,
      decideScopes({ requested: oidc.requestParamScopes, resources: requestedResources }, scopePolicy(accounts, accountId)),
    );
    await grant.save();
    return grant;
  }

  return {
    adapter: setup.adapter,
    jwks: { keys: setup.keys.signing as never },
    cookies: { keys: setup.keys.cookies },
    clients: [
      {
        client_id: DEV_CLI_CLIENT_ID,
        client_name: 'todo-mcp CLI',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [DEV_CLI_REDIRECT_URI],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      },
    ],
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    scopes: [...OIDC_SCOPES],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    async findAccount(_ctx, sub) {
      const account = accounts.find(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: account.name, preferred_username: account.username }) };
    },
    // OAuth 2.1 / MCP: the code flow only (no implicit, no hybrid).
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    rotateRefreshToken: true,
    // Browser-based MCP clients call the token and revocation endpoints cross-origin; this server
    // is loopback-only and its clients are public, so any origin may.
    clientBasedCORS: () => true,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: consentPolicy() },
    loadExistingGrant,
    renderError: pages.renderError as Configuration['renderError'],
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      BackchannelAuthenticationRequest: 600,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 14 * DAY,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 14 * DAY,
      Session: 14 * DAY,
    },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: pages.logoutSource,
        postLogoutSuccessSource: pages.postLogoutSuccessSource,
      },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: pages.userCodeInputSource as never,
        userCodeConfirmSource: pages.userCodeConfirmSource as never,
        successSource: pages.deviceSuccessSource,
      },
      registration: {
        enabled: true,
        // MCP clients (the SDK, the Inspector) register with the API scopes in `scope`; stock
        // oidc-provider only accepts its own OpenID scopes there and would answer
        // invalid_client_metadata. This hook runs after the body is parsed and before it is
        // validated, so the API scopes (which are requested per authorization anyway) are dropped.
        idFactory(ctx) {
          const body = ctx.oidc.body as Record<string, unknown> | undefined;
          if (body && typeof body.scope === 'string') {
            const kept = (parseScopeString(body.scope) ?? []).filter((scope) => !accounts.allScopes.includes(scope));
            if (kept.length) body.scope = kept.join(' ');
            else delete body.scope;
          }
          return randomUUID();
        },
      },
      resourceIndicators: {
        enabled: true,
        // As Logto: a token request without `resource` gets an opaque token, never a silent default.
        useGrantedResource: () => false,
        async getResourceServerInfo(ctx, indicator) {
          if (!resources.includes(indicator)) throw new errors.InvalidTarget();
          // At the token endpoint the account is known: scopes then follow its current roles.
          const accountId = ctx.oidc.entities.Account?.accountId;
          const scopes = accountId ? scopePolicy(accounts, accountId).allowed : accounts.allScopes;
          return {
            scope: scopes.join(' '),
            audience: indicator,
            accessTokenTTL: 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
  };
}
