import * as oidc from 'openid-client';
import { ClientError } from './client-error.js';
import type { LoopbackListener } from './loopback-listener.js';
import { oauthFailure } from './oauth-failure.js';
import { OFFLINE_ACCESS } from './select-scopes.js';

export type TokenResponse = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

export interface BrowserAuthorizationOptions {
  readonly config: oidc.Configuration;
  /** The running redirect listener, created with the same `state`. */
  readonly listener: LoopbackListener;
  readonly state: string;
  /** Scopes to request; none means the `scope` parameter is left out. */
  readonly scopes: readonly string[];
  /** Resource indicator (RFC 8707), sent on the authorization and the token request. */
  readonly resource: string;
  /** `audience` parameter for providers that use one instead of (or beside) RFC 8707. Default: none. */
  readonly audience?: string;
  /** Send `prompt=login` so an existing browser session does not pick the account. Default false. */
  readonly forceSignIn?: boolean;
  /** Shows the authorization URL to the user (opens a browser, prints it, …). */
  readonly openUrl: (url: string) => Promise<void>;
  /** How long to wait for the redirect, in milliseconds. */
  readonly timeoutMs: number;
  /** Aborting it ends the wait for the redirect (see LoopbackListener.wait). Default: none. */
  readonly signal?: AbortSignal;
}

/**
 * RFC 9207: when the server says it sends `iss` on the redirect, it must be there and name the issuer;
 * when it is there anyway it must still match. This is the defence against mix-up attacks, checked here
 * (with a clear message) before openid-client checks it again.
 */
export function checkAuthorizationResponseIssuer(callback: URL, metadata: oidc.ServerMetadata): void {
  const iss = callback.searchParams.get('iss');
  if (iss === null) {
    if (metadata.authorization_response_iss_parameter_supported === true) {
      throw new ClientError('issuer_mismatch', `The authorization server ${metadata.issuer} promises an "iss" parameter on its redirect, but the redirect had none; the login was abandoned.`);
    }
    return;
  }
  if (iss !== metadata.issuer) {
    throw new ClientError('issuer_mismatch', `The redirect came from issuer ${JSON.stringify(iss)}, not ${JSON.stringify(metadata.issuer)}; the login was abandoned.`);
  }
}

/**
 * The authorization code flow with PKCE (S256) and `state`, redirecting to a loopback listener.
 * `prompt=consent` goes with `offline_access`, since OpenID Connect servers (oidc-provider, Logto)
 * otherwise drop that scope and issue no refresh token. With `openid` a `nonce` goes too, and
 * openid-client then requires the ID token and checks it (nonce, issuer, audience, expiry, algorithm)
 * before `claims()` returns anything.
 */
export async function authorizeInBrowser(options: BrowserAuthorizationOptions): Promise<TokenResponse> {
  const { config, listener, state, scopes, resource, audience } = options;
  const target: Record<string, string> = audience ? { resource, audience } : { resource };
  const verifier = oidc.randomPKCECodeVerifier();
  const params: Record<string, string> = {
    redirect_uri: listener.redirectUri,
    response_type: 'code',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...target,
  };
  if (scopes.length > 0) params.scope = scopes.join(' ');
  // Binds the ID token to this login: one injected from another login fails the nonce check.
  const nonce = scopes.includes('openid') ? oidc.randomNonce() : undefined;
  if (nonce) params.nonce = nonce;
  const prompt = [...(options.forceSignIn ? ['login'] : []), ...(scopes.includes(OFFLINE_ACCESS) ? ['consent'] : [])];
  if (prompt.length > 0) params.prompt = prompt.join(' ');
  const url = oidc.buildAuthorizationUrl(config, params);

  await options.openUrl(url.href);
  const callback = await listener.wait(options.timeoutMs, options.signal);
  checkAuthorizationResponseIssuer(callback, config.serverMetadata());
  try {
    return await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, ...(nonce ? { expectedNonce: nonce } : {}) }, target);
  } catch (error) {
    throw oauthFailure(error, 'Exchanging the authorization code', 'login_failed');
  }
}
