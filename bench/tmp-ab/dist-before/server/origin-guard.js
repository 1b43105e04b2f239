const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** True for http(s) origins on a loopback host, any port. */
export function isLoopbackOrigin(origin) {
    try {
        const url = new URL(origin);
        return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
    }
    catch {
        return false;
    }
}
/** Whether a browser at `origin` may call the MCP endpoint: loopback pages and the configured extra origins. */
export function createOriginPolicy(allowedOrigins) {
    const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '')));
    return (origin) => allowed.has(origin) || isLoopbackOrigin(origin);
}
/**
 * DNS-rebinding defence for the MCP endpoint (MCP Streamable HTTP: servers MUST validate Origin).
 * A request without Origin (not a browser) passes; a browser request from elsewhere gets 403.
 */
export function originGuard(isAllowed) {
    return (req, res, next) => {
        const origin = req.headers.origin;
        if (origin === undefined || isAllowed(origin))
            return next();
        res.status(403).json({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Forbidden: this Origin may not call the MCP endpoint (see --allowed-origin).' },
            id: null,
        });
    };
}
/**
 * When the server listens on loopback, only loopback Host headers (and the public resource's host) are
 * answered: a rebound DNS name pointing at 127.0.0.1 carries its own Host and is refused.
 */
export function hostGuard(allowedHostnames) {
    const allowed = new Set([...LOOPBACK_HOSTNAMES, ...allowedHostnames]);
    return (req, res, next) => {
        const host = req.headers.host;
        let hostname;
        try {
            hostname = host ? new URL(`http://${host}`).hostname : undefined;
        }
        catch {
            hostname = undefined;
        }
        if (hostname && allowed.has(hostname))
            return next();
        res.status(403).json({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Forbidden: unexpected Host header for a loopback server.' },
            id: null,
        });
    };
}
//# sourceMappingURL=origin-guard.js.map