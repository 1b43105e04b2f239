/** The scope that asks for a refresh token (OpenID Connect Core §11, SEP-2207). */
export const OFFLINE_ACCESS = 'offline_access';
/**
 * The scopes to request, following the MCP 2025-11-25 scope selection strategy: the challenge's
 * `scope`, else the resource's `scopes_supported`, else none (the parameter is then omitted). On a
 * step-up the previous scopes are kept too. `offline_access` is added only when the authorization server
 * lists it in its `scopes_supported` (SEP-2207: never request it from a server that does not offer it).
 */
export function selectScopes(sources) {
    const base = sources.explicit ?? [...(sources.previous ?? []), ...(sources.challenge ?? sources.resource ?? [])];
    const scopes = [...new Set(base.filter(Boolean))];
    if (sources.authorizationServer?.includes(OFFLINE_ACCESS) && !scopes.includes(OFFLINE_ACCESS))
        scopes.push(OFFLINE_ACCESS);
    return scopes;
}
/** `a b c` / `a,b c` → [a, b, c]. */
export function splitScopes(value) {
    return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
//# sourceMappingURL=select-scopes.js.map