/** One line per request: method, path, JSON-RPC method and tool, subject, status, duration. Never headers. */
export function requestLog(log) {
    return (req, res, next) => {
        const started = process.hrtime.bigint();
        res.on('finish', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            const identity = res.locals.identity;
            const parts = [req.method, req.path, describeRpc(req), identity ? `sub=${sanitize(identity.sub)}` : 'sub=-', String(res.statusCode), `${ms.toFixed(1)}ms`];
            log(parts.filter(Boolean).join(' '));
        });
        next();
    };
}
function describeRpc(req) {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body))
        return '';
    const { method, params } = body;
    if (typeof method !== 'string')
        return '';
    const tool = method === 'tools/call' && typeof params?.name === 'string' ? ` ${params.name}` : '';
    return sanitize(`${method}${tool}`);
}
/** Keeps client-chosen text from forging log lines. */
function sanitize(value) {
    return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
//# sourceMappingURL=request-log.js.map