/** Granted = requested ∩ the account's role scopes, as Logto does with roles. */
export function decideScopes(request, policy) {
    const requested = [...new Set(request.requested)];
    const api = requested.filter((scope) => policy.apiScopes.includes(scope));
    return {
        oidc: requested.filter((scope) => policy.oidcScopes.has(scope)),
        granted: api.filter((scope) => policy.allowed.includes(scope)),
        denied: api.filter((scope) => !policy.allowed.includes(scope)),
    };
}
/**
 * Records a decision in a grant. Denied scopes are stored as rejected: the provider counts them as
 * "encountered", so it does not ask for consent again for scopes the user can never have.
 */
export function recordDecision(grant, resources, decision) {
    if (decision.oidc.length)
        grant.addOIDCScope(decision.oidc.join(' '));
    for (const resource of resources) {
        if (decision.granted.length)
            grant.addResourceScope(resource, decision.granted.join(' '));
        if (decision.denied.length)
            grant.rejectResourceScope(resource, decision.denied.join(' '));
    }
}
/** The `resource` parameter as a list (the provider keeps one value as a string). */
export function resourceList(value) {
    if (Array.isArray(value))
        return value.filter((v) => typeof v === 'string');
    return typeof value === 'string' && value ? [value] : [];
}
/** The `scope` parameter as a list. */
export function scopeList(value) {
    return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}
//# sourceMappingURL=grant-scopes.js.map