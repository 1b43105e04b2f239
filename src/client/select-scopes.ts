/** The scope that asks for a refresh token (OpenID Connect Core §11, SEP-2207). */
export const OFFLINE_ACCESS = 'offline_access';

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
 * step-up the previous scopes are kept too. `offline_access` is added only when the authorization server
 * lists it in its `scopes_supported` (SEP-2207: never request it from a server that does not offer it).
 */
export function selectScopes(sources: ScopeSources): string[] {
  const base = sources.explicit ?? [...(sources.previous ?? []), ...(sources.challenge ?? sources.resource ?? [])];
  const scopes = [...new Set(base.filter(Boolean))];
  if (sources.authorizationServer?.includes(OFFLINE_ACCESS) && !scopes.includes(OFFLINE_ACCESS)) scopes.push(OFFLINE_ACCESS);
  return scopes;
}

/** `a b c` / `a,b c` → [a, b, c]. */
export function splitScopes(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
