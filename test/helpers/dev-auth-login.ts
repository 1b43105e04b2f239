import * as client from 'openid-client';
import { browse, CookieJar, type BrowseResult } from './dev-auth-browser.js';

export { browse, CookieJar, parseForms } from './dev-auth-browser.js';

/** openid-client refuses http unless told; only ever for loopback issuers (tests, dev server). */
export function loopbackOptions(issuer: string): { execute: Array<(config: client.Configuration) => void> } {
  const { hostname } = new URL(issuer);
  if (!['localhost', '127.0.0.1', '[::1]'].includes(hostname)) return { execute: [] };
  return { execute: [client.allowInsecureRequests] };
}

/** Discovery (OpenID Connect well-known under the issuer) for a public client. */
export function discoverPublicClient(issuer: string, clientId: string): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), clientId, undefined, client.None(), loopbackOptions(issuer));
}

export interface LoginOptions {
  issuer: string;
  /** Default: the CLI's pre-registered client `todo-mcp-cli`. */
  clientId?: string;
  /** Default: http://127.0.0.1:53682/callback (nothing needs to listen: the redirect is intercepted). */
  redirectUri?: string;
  username: string;
  password: string;
  /** Space-separated. Default: 'openid offline_access create:todos read:todos delete:todos'. */
  scope?: string;
  /** Resource indicator sent on the authorization AND token requests. */
  resource?: string;
  /** Default: 'consent' when `offline_access` is requested (the provider drops it otherwise). */
  prompt?: string;
  /** What to answer on a consent page. Default: 'approve'. */
  consent?: 'approve' | 'deny';
  /** Choose "Sign in as someone else" on the first consent page, then sign in as `username`. Default: false. */
  switchAccount?: boolean;
  /** Reuse a browser session (cookies) across logins. */
  jar?: CookieJar;
  /** Reuse a discovered configuration. */
  config?: client.Configuration;
}

export interface LoginResult {
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  config: client.Configuration;
  callbackUrl: URL;
  /** Pages the user saw (see {@link BrowseResult.pages}). */
  pages: string[];
  /** Their HTML, by kind (see {@link BrowseResult.html}). */
  html: Record<string, string>;
}

/**
 * A complete authorization code + PKCE (S256) login through the real sign-in form: openid-client
 * builds the request and redeems the code (checking `state` and the RFC 9207 `iss`), the scripted
 * browser submits the forms. Throws when the flow does not reach the redirect URI.
 */
export async function loginWithPassword(options: LoginOptions): Promise<LoginResult> {
  const clientId = options.clientId ?? 'todo-mcp-cli';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:53682/callback';
  const scope = options.scope ?? 'openid offline_access create:todos read:todos delete:todos';
  const config = options.config ?? (await discoverPublicClient(options.issuer, clientId));
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const params: Record<string, string> = {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  };
  const prompt = options.prompt ?? (scope.split(' ').includes('offline_access') ? 'consent' : undefined);
  if (prompt) params.prompt = prompt;
  if (options.resource) params.resource = options.resource;
  const target = new URL(redirectUri);
  const walk: BrowseResult = await browse(client.buildAuthorizationUrl(config, params), {
    username: options.username,
    password: options.password,
    consent: options.consent,
    switchAccount: options.switchAccount,
    jar: options.jar,
    isCallback: (url) => url.origin === target.origin && url.pathname === target.pathname,
  });
  if (!walk.callbackUrl) {
    throw new Error(`login did not reach ${redirectUri}; ended on ${walk.finalPage?.url} (${walk.finalPage?.status}), pages: ${walk.pages.join(', ')}`);
  }
  const tokens = await client.authorizationCodeGrant(
    config,
    walk.callbackUrl,
    { pkceCodeVerifier: verifier, expectedState: state },
    options.resource ? { resource: options.resource } : undefined,
  );
  return { tokens, config, callbackUrl: walk.callbackUrl, pages: walk.pages, html: walk.html };
}

/** Approves a device authorization (RFC 8628) as the user would on another device. */
export async function approveDeviceLogin(options: {
  verificationUri: string;
  userCode: string;
  username: string;
  password: string;
  consent?: 'approve' | 'deny';
}): Promise<BrowseResult> {
  return browse(options.verificationUri, options);
}
