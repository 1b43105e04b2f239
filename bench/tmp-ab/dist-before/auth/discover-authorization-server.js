/**
 * Authorization server metadata discovery (RFC 8414 / OpenID Connect Discovery) in the order the MCP
 * authorization spec (2025-11-25) prescribes, so the resource server and the CLI find the same document.
 */
/** Discovery failed; `attempts` lists every URL tried and its answer (also spelled out in `message`). */
export class AuthorizationServerDiscoveryError extends Error {
    attempts;
    constructor(message, attempts, options = {}) {
        const tried = attempts.map((a) => `  ${a.url} → ${a.outcome}`).join('\n');
        super(attempts.length > 0 ? `${message}\nTried:\n${tried}` : message, { cause: options.cause });
        this.name = 'AuthorizationServerDiscoveryError';
        this.attempts = attempts;
    }
}
/**
 * The metadata URLs for an issuer, in the order to try them. For `https://x/tenant`:
 * `/.well-known/oauth-authorization-server/tenant`, `/.well-known/openid-configuration/tenant`,
 * `/tenant/.well-known/openid-configuration`; for an issuer without a path, the two root documents.
 */
export function authorizationServerMetadataUrls(issuer) {
    const url = new URL(issuer);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new TypeError(`issuer must be an http(s) URL, got ${url.protocol}`);
    }
    // RFC 8414 §2: an issuer identifier has no query or fragment component.
    if (url.search || url.hash)
        throw new TypeError('issuer must not contain a query or fragment');
    const path = url.pathname.replace(/\/+$/, '');
    const origin = url.origin;
    if (path === '') {
        return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
    }
    return [
        `${origin}/.well-known/oauth-authorization-server${path}`,
        `${origin}/.well-known/openid-configuration${path}`,
        `${origin}${path}/.well-known/openid-configuration`,
    ];
}
/**
 * Fetch the authorization server's metadata. The first document found wins; its `issuer` must equal
 * `issuer` exactly (a mismatch is refused, not skipped: it means the configured issuer is wrong, or
 * someone else's metadata is being served) and it must name a `jwks_uri`.
 */
export async function discoverAuthorizationServer(issuer, options = {}) {
    const fetchImpl = options.fetch ?? fetch;
    const timeoutMs = options.timeoutMs ?? 5000;
    const attempts = [];
    for (const url of authorizationServerMetadataUrls(issuer)) {
        const result = await fetchJson(fetchImpl, url, timeoutMs);
        if (!result.ok) {
            attempts.push({ url, outcome: result.outcome });
            continue;
        }
        const document = result.body;
        if (typeof document !== 'object' || document === null || Array.isArray(document)) {
            attempts.push({ url, outcome: 'HTTP 200 but not a JSON object' });
            continue;
        }
        attempts.push({ url, outcome: 'HTTP 200' });
        const metadata = document;
        if (metadata.issuer !== issuer) {
            throw new AuthorizationServerDiscoveryError(`Authorization server metadata at ${url} names issuer ${JSON.stringify(metadata.issuer)}, ` +
                `not the configured ${JSON.stringify(issuer)}; they must match exactly (check scheme, host, port, path and trailing slash)`, attempts);
        }
        if (typeof metadata.jwks_uri !== 'string' || !URL.canParse(metadata.jwks_uri)) {
            throw new AuthorizationServerDiscoveryError(`Authorization server metadata at ${url} has no usable jwks_uri, so access tokens cannot be verified`, attempts);
        }
        return { metadata: metadata, url };
    }
    throw new AuthorizationServerDiscoveryError(`No authorization server metadata found for issuer ${issuer}`, attempts);
}
async function fetchJson(fetchImpl, url, timeoutMs) {
    let response;
    try {
        response = await fetchImpl(url, {
            headers: { accept: 'application/json' },
            signal: AbortSignal.timeout(timeoutMs),
        });
    }
    catch (error) {
        return { ok: false, outcome: describeFetchError(error, timeoutMs) };
    }
    if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, outcome: `HTTP ${response.status}` };
    }
    try {
        return { ok: true, body: await response.json() };
    }
    catch (error) {
        const outcome = describeFetchError(error, timeoutMs);
        return { ok: false, outcome: outcome.startsWith('timed out') ? outcome : 'HTTP 200 but not JSON' };
    }
}
function describeFetchError(error, timeoutMs) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return `timed out after ${timeoutMs} ms`;
    }
    // undici hides the useful part (ECONNREFUSED, ENOTFOUND, …) in `cause`.
    const cause = error instanceof Error ? error.cause : undefined;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return `network error: ${reason}`;
}
//# sourceMappingURL=discover-authorization-server.js.map