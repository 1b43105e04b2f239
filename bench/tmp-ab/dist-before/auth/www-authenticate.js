// Caps keep a hostile or buggy value from bloating every response header.
const MAX_DESCRIPTION = 256;
const MAX_SCOPE = 1024;
const MAX_URL = 2048;
/**
 * The value of a `WWW-Authenticate` header for the Bearer scheme (RFC 6750 §3, RFC 9728 §5.1), e.g.
 * `Bearer error="invalid_token", error_description="The access token expired", scope="read:todos",
 * resource_metadata="https://…/.well-known/oauth-protected-resource"`.
 */
export function buildWwwAuthenticate(options) {
    const { error } = options;
    const params = [];
    if (error) {
        params.push(['error', error.code, 64]);
        if (error.description)
            params.push(['error_description', error.description, MAX_DESCRIPTION]);
    }
    const scope = error?.code === 'insufficient_scope' && error.scope?.length ? error.scope : options.scope;
    if (scope && scope.length > 0)
        params.push(['scope', scope.join(' '), MAX_SCOPE]);
    params.push(['resource_metadata', options.resourceMetadataUrl, MAX_URL]);
    return `Bearer ${params.map(([name, value, max]) => `${name}=${quotedString(value, max)}`).join(', ')}`;
}
/**
 * An RFC 9110 quoted-string that cannot break out of its header: everything outside printable ASCII
 * (CR, LF, other controls, DEL, non-ASCII) is dropped, the result is capped, then `\` and `"` are
 * backslash-escaped. Our own descriptions never contain `"` or `\` (RFC 6750 excludes them from
 * error_description); the escaping is the safety net for values that do.
 */
export function quotedString(value, maxLength) {
    let text = value.replace(/[^\x20-\x7e]/g, '');
    if (text.length > maxLength)
        text = `${text.slice(0, Math.max(0, maxLength - 3))}...`;
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
//# sourceMappingURL=www-authenticate.js.map