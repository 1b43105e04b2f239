import type { Grant } from 'oidc-provider';

/** What an authorization request asks for, as the grant logic needs it. */
export interface ScopeRequest {
  /** Every value of the request's `scope`. */
  readonly requested: Iterable<string>;
  /** Resource indicators (RFC 8707) of the request. */
  readonly resources: readonly string[];
}

/** The scopes of one request split by what the account's roles allow. */
export interface ScopeDecision {
  /** OpenID Connect scopes (openid, profile, offline_access) requested. */
  readonly oidc: string[];
  /** API scopes granted (requested ∩ role scopes). */
  readonly granted: string[];
  /** API scopes requested that the roles do not allow. */
  readonly denied: string[];
}

/** Granted = requested ∩ the account's role scopes, as Logto does with roles. */
export function decideScopes(
  request: ScopeRequest,
  policy: { oidcScopes: ReadonlySet<string>; apiScopes: readonly string[]; allowed: readonly string[] },
): ScopeDecision {
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
export function recordDecision(grant: Grant, resources: readonly string[], decision: ScopeDecision): void {
  if (decision.oidc.length) grant.addOIDCScope(decision.oidc.join(' '));
  for (const resource of resources) {
    if (decision.granted.length) grant.addResourceScope(resource, decision.granted.join(' '));
    if (decision.denied.length) grant.rejectResourceScope(resource, decision.denied.join(' '));
  }
}

/** The `resource` parameter as a list (the provider keeps one value as a string). */
export function resourceList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

