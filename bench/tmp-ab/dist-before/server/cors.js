/** Headers a browser-based MCP client must be able to read from our answers. */
const EXPOSED = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID';
/**
 * CORS for the MCP endpoint: reflect allowed origins only (credentials travel in the Authorization header,
 * never cookies), answer preflights before authentication.
 */
export function mcpCors(isAllowed) {
    return (req, res, next) => {
        const origin = req.headers.origin;
        if (origin && isAllowed(origin)) {
            res.setHeader('Access-Control-Allow-Origin', origin);
            res.setHeader('Vary', 'Origin');
            res.setHeader('Access-Control-Expose-Headers', EXPOSED);
        }
        if (req.method === 'OPTIONS') {
            if (origin && isAllowed(origin)) {
                res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
                res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
                res.setHeader('Access-Control-Max-Age', '600');
            }
            res.status(204).end();
            return;
        }
        next();
    };
}
/** Public metadata is readable from any origin (RFC 9728 clients may run in a browser). */
export const publicCors = (req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.status(204).end();
        return;
    }
    next();
};
//# sourceMappingURL=cors.js.map