/** The scope that asks for a refresh token (OpenID Connect Core §11, SEP-2207). */
export const OFFLINE_ACCESS = 'offline_access';

/**
 * OpenID Connect scopes that ask for an ID token naming who signed in (`openid`) and their name (`profile`).
 * Only the CLI reads that ID token, to show a name beside the opaque `sub`; the MCP server never sees it.
 */
export const IDENTITY_SCOPES: readonly string[] = ['openid', 'profile'];

/** Whether a scope is about the user's identity (the ID token) rather than the resource. */
export const isIdentityScope = (scope: string): boolean => IDENTITY_SCOPES.includes(scope);

export interface ScopeSources {
  /** Scopes the user asked for (`--scope`): used as given. */
  readonly explicit?: readonly string[];
  /** `scope` of the server's WWW-Authenticate challenge. */
  readonly challenge?: readonly string[];
  /** `scopes_supported` of the Protected Resource Metadata. */
  readonly resource?: readonly string[];
  /** Scopes requested before, kept on a step-up so the new token does not lose them. */
  readonly previous?: readonly string[];
  /** `scopes_supported` of the authorization server metadata. */
  readonly authorizationServer?: readonly string[];
}

/**
 * The scopes to request, following the MCP 2025-11-25 scope selection strategy: the challenge's
 * `scope`, else the resource's `scopes_supported`, else none (the parameter is then omitted). On a
 * step-up the previous scopes are kept too. `openid profile` (for the user's name) and `offline_access` are
 * added only when the authorization server lists them in its `scopes_supported` (SEP-2207: never request
 * `offline_access` from a server that does not offer it; a plain OAuth server may not know `openid`), and
 * `profile` only with `openid`.
 */
export function selectScopes(sources: ScopeSources): string[] {
  const base = sources.explicit ?? [...(sources.previous ?? []), ...(sources.challenge ?? sources.resource ?? [])];
  const scopes = [...new Set(base.filter(Boolean))];
  const offered = (scope: string) => sources.authorizationServer?.includes(scope) === true;
  const add = (scope: string) => {
    if (!scopes.includes(scope)) scopes.push(scope);
  };
  if (offered('openid')) {
    add('openid');
    if (offered('profile')) add('profile');
  }
  if (offered(OFFLINE_ACCESS)) add(OFFLINE_ACCESS);
  return scopes;
}

/** `a b c` / `a,b c` → [a, b, c]. */
export function splitScopes(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
