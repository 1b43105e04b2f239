import * as oidc from 'openid-client';
import { authorizeInBrowser, type TokenResponse } from './authorize.js';
import type { BearerChallenge } from './bearer-challenge.js';
import { interruptible } from '../errors/interrupted.js';
import { abortableFetch } from '../http/abortable-fetch.js';
import { ClientError } from './client-error.js';
import { authorizeWithDevice, type DevicePrompt } from './device-login.js';
import { discoverAuthorizationServerForClient } from './discover-authorization-server.js';
import { discoverProtectedResource } from './discover-protected-resource.js';
import { startLoopbackListener, type LoopbackListener } from './loopback-listener.js';
import { oauthErrorCode } from './oauth-failure.js';
import { openIdConfiguration } from './openid-configuration.js';
import { probeServer } from './probe-server.js';
import { DEVICE_CODE_GRANT, resolveClient, type ClientRegistration } from './register-client.js';
import { isIdentityScope, selectScopes } from './select-scopes.js';
import { entryFromTokens } from './token-entry.js';
import { findRegistration, forgetRegistration, putEntry, putRegistration, type TokenEntry, type TokenStore } from './token-store.js';

/** How this CLI identifies itself to authorization servers. */
export interface ClientSettings {
  /** A pre-registered client id (e.g. a Logto native app). Default: none. */
  readonly clientId?: string;
  /** Its secret, for a confidential pre-registered client. Default: none (public client). */
  readonly clientSecret?: string;
  /** URL of a Client ID Metadata Document describing this CLI. Default: none. */
  readonly clientMetadataUrl?: string;
  /** `audience` sent beside `resource`, for providers that take an audience parameter. Default: none. */
  readonly audience?: string;
}

/** How the user takes part in the login. */
export interface LoginInteraction {
  /** Browser redirect to a loopback listener, or the device grant. Default: 'browser'. */
  readonly mode?: 'browser' | 'device';
  /** Shows the authorization URL (opens a browser and/or prints it). */
  readonly openUrl: (url: string) => Promise<void>;
  /** Shows the device code and where to enter it. */
  readonly showDeviceCode: (prompt: DevicePrompt) => Promise<void> | void;
  /** Fixed loopback port, for servers that need an exact registered redirect URI. Default: random. */
  readonly redirectPort?: number;
  /** Longest wait for the user, in milliseconds. */
  readonly timeoutMs: number;
  /** Ask the authorization server to show its sign-in form even when the browser is already signed in (`prompt=login`). Default false. */
  readonly forceSignIn?: boolean;
}

export interface LoginOptions {
  /** The MCP endpoint, e.g. http://localhost:3001/mcp */
  readonly serverUrl: string;
  readonly store: TokenStore;
  readonly client: ClientSettings;
  readonly interaction: LoginInteraction;
  /** The server's challenge that triggered this login; without one the server is probed. */
  readonly challenge?: BearerChallenge;
  /** Scopes to request instead of the server's (`--scope`). Default: the MCP selection strategy. */
  readonly scopes?: readonly string[];
  /** Scopes requested before; a step-up keeps them. Default: none. */
  readonly previousScopes?: readonly string[];
  /** fetch for discovery and registration. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Aborting it (Ctrl-C) ends the login wherever it waits: requests, the browser redirect, device polling.
   * It rejects with the signal's reason, the redirect listener closed and the browser command ended; the
   * store is written only with a complete login. Default: none.
   */
  readonly signal?: AbortSignal;
}

export interface LoginResult {
  readonly entry: TokenEntry;
  /** Requested scopes the server did not grant. */
  readonly notGranted: readonly string[];
}

/**
 * A complete login as MCP 2025-11-25 describes it: challenge → Protected Resource Metadata → the
 * authorization server's metadata → a client id → authorization code + PKCE (or the device grant) →
 * tokens for the resource, saved in the store.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const { serverUrl, store, interaction, signal } = options;
  const fetchImpl = abortableFetch(options.fetch ?? fetch, signal);
  const { challenge, prm, issuer, metadata } = await interruptible(signal, `finding out how to log in to ${serverUrl}`, async () => {
    const challenge = options.challenge ?? (await challengeOf(serverUrl, fetchImpl));
    const { metadata: prm } = await discoverProtectedResource(serverUrl, { resourceMetadataUrl: challenge?.resourceMetadata, fetch: fetchImpl });
    const issuer = prm.authorization_servers[0]!;
    const { metadata } = await discoverAuthorizationServerForClient(issuer, { fetch: fetchImpl });
    return { challenge, prm, issuer, metadata };
  });
  const scopes = selectScopes({
    ...(options.scopes ? { explicit: options.scopes } : {}),
    challenge: challenge?.scope,
    resource: prm.scopes_supported,
    previous: options.previousScopes,
    authorizationServer: metadata.scopes_supported,
  });
  const previous = findRegistration(await store.read(), issuer);
  const clientFor = (redirectUri: string, grantTypes?: string[]) =>
    resolveClient({
      issuer,
      metadata,
      ...(options.client.clientId ? { preRegistered: { clientId: options.client.clientId, clientSecret: options.client.clientSecret } } : {}),
      metadataDocumentUrl: options.client.clientMetadataUrl,
      redirectUri,
      grantTypes,
      previous,
      fetch: fetchImpl,
    });

  let client: ClientRegistration | undefined;
  const configFor = (registration: ClientRegistration) => loginConfiguration(openIdConfiguration({ metadata, client: registration, signal }), scopes);
  const authorize = async (): Promise<TokenResponse> => {
    if (interaction.mode === 'device') {
      client = await clientFor('http://127.0.0.1/callback', ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT]);
      const config = configFor(client);
      const { audience } = options.client;
      return authorizeWithDevice({ config, scopes, resource: prm.resource, audience, prompt: interaction.showDeviceCode, timeoutMs: interaction.timeoutMs, signal });
    }
    const state = oidc.randomState();
    const listener = await listen(state, interaction.redirectPort, previous);
    try {
      client = await clientFor(listener.redirectUri);
      return await authorizeInBrowser({
        config: configFor(client),
        listener,
        state,
        scopes,
        resource: prm.resource,
        audience: options.client.audience,
        forceSignIn: interaction.forceSignIn,
        openUrl: interaction.openUrl,
        timeoutMs: interaction.timeoutMs,
        signal,
      });
    } finally {
      await listener.close();
    }
  };
  let tokens: TokenResponse;
  try {
    tokens = await interruptible(signal, `logging in to ${serverUrl}`, authorize);
  } catch (error) {
    throw await forgetStaleRegistration(error, store, issuer, client !== undefined && client === previous);
  }

  const entry = entryFromTokens({ server: serverUrl, resource: prm.resource, audience: options.client.audience, metadata, client: client!, tokens, scopesRequested: scopes });
  await store.update((data) => {
    putEntry(data, entry);
    putRegistration(data, issuer, client!);
  });
  // openid and profile are about the ID token, not the resource: servers (Logto) leave them out of `scope`.
  return { entry, notGranted: scopes.filter((s) => !isIdentityScope(s) && !entry.scopesGranted.includes(s)) };
}

/**
 * The login's openid-client configuration. When the login asks for an ID token (`openid`), its signature
 * is checked too, against the server's JWKS: openid-client otherwise checks only its claims (OpenID
 * Connect Core §3.1.3.7 lets TLS to the token endpoint stand in for the signature). A refresh does not
 * repeat this: a failure after the refresh token rotated would cost the user the whole grant.
 */
function loginConfiguration(config: oidc.Configuration, scopes: readonly string[]): oidc.Configuration {
  if (scopes.includes('openid') && typeof config.serverMetadata().jwks_uri === 'string') oidc.enableNonRepudiationChecks(config);
  return config;
}

/**
 * A failed login with a registration kept from before may mean the server forgot that client (its data
 * was reset): the browser then shows an error and never comes back. Dropping the registration makes the
 * next login register afresh instead of failing the same way forever.
 */
async function forgetStaleRegistration(error: unknown, store: TokenStore, issuer: string, reused: boolean): Promise<unknown> {
  const unknownClient = error instanceof ClientError && (error.code === 'login_timeout' || oauthErrorCode(error.cause) === 'invalid_client');
  if (!reused || !unknownClient) return error;
  await store.update((data) => forgetRegistration(data, issuer)).catch(() => undefined);
  return new ClientError((error as ClientError).code, `${(error as ClientError).message}\nThe client registration kept for ${issuer} was discarded in case the server no longer knows it; the next login registers anew.`, { cause: error });
}

/**
 * The loopback listener: on `--redirect-port` when given (its failure is the user's to fix), else on the
 * port an earlier dynamic registration used, so that registration still matches (falling back to a
 * random port, and so a new registration, when that port is taken), else on a random port.
 */
async function listen(state: string, port: number | undefined, previous: ClientRegistration | undefined): Promise<LoopbackListener> {
  if (port !== undefined) {
    try {
      return await startLoopbackListener({ state, port });
    } catch (error) {
      throw new ClientError('login_failed', `Cannot listen on 127.0.0.1:${port} for the login redirect (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another --redirect-port.`, { cause: error });
    }
  }
  const registeredPort = previous?.kind === 'dynamic' && previous.redirectUri ? Number(new URL(previous.redirectUri).port) : 0;
  if (registeredPort > 0) {
    try {
      return await startLoopbackListener({ state, port: registeredPort });
    } catch {
      // Taken: a random port and a fresh registration will do.
    }
  }
  return startLoopbackListener({ state, port: 0 });
}

/** The challenge an unauthenticated initialize gets (none from a server that does not ask for a token). */
async function challengeOf(serverUrl: string, fetchImpl: typeof fetch | undefined): Promise<BearerChallenge | undefined> {
  const probe = await probeServer(serverUrl, { fetch: fetchImpl });
  if (!probe.reached) throw new ClientError('unreachable', `Cannot reach ${serverUrl}: ${probe.reason}.`, { cause: probe.cause });
  return probe.challenge;
}
