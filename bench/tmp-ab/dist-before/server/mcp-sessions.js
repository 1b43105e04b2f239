import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
/** Carries the verified identity to the tools; the token itself is deliberately left out. */
function authInfoFor(identity) {
    return {
        token: '',
        clientId: identity.clientId ?? '',
        scopes: [...identity.scopes],
        expiresAt: identity.expiresAt,
        extra: { identity },
    };
}
/** Reads back what {@link authInfoFor} attached. */
export function identityFromExtra(extra) {
    return extra.authInfo?.extra?.identity;
}
function jsonRpcError(res, status, code, message) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
/** Routes Streamable HTTP requests to per-session MCP servers bound to the subject that created them. */
export function createMcpSessions(options) {
    const maxSessions = options.maxSessions ?? 1_000;
    const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
    const sessions = new Map();
    const sweep = setInterval(() => {
        const cutoff = Date.now() - idleTimeoutMs;
        for (const [id, session] of sessions)
            if (session.lastUsed < cutoff)
                void closeSession(id);
    }, Math.min(idleTimeoutMs, 60_000));
    sweep.unref();
    async function closeSession(id) {
        const session = sessions.get(id);
        if (!session)
            return;
        sessions.delete(id);
        await session.transport.close().catch(() => undefined);
        await session.server.close().catch(() => undefined);
    }
    function evictLeastRecentlyUsed() {
        let oldest;
        for (const entry of sessions)
            if (!oldest || entry[1].lastUsed < oldest[1].lastUsed)
                oldest = entry;
        if (oldest)
            void closeSession(oldest[0]);
    }
    async function handleStateless(req, res, body) {
        const server = options.createServer();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => {
            void transport.close();
            void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, body);
    }
    async function handle(req, res, body, identity) {
        req.auth = authInfoFor(identity);
        if (options.stateless)
            return handleStateless(req, res, body);
        const header = req.headers['mcp-session-id'];
        const sessionId = Array.isArray(header) ? header[0] : header;
        if (sessionId) {
            const session = sessions.get(sessionId);
            // Another user's session id answers exactly like an unknown one: sessions are never authentication.
            if (!session || session.sub !== identity.sub) {
                jsonRpcError(res, 404, -32001, 'Session not found: start a new session with an initialize request.');
                return;
            }
            session.lastUsed = Date.now();
            await session.transport.handleRequest(req, res, body);
            return;
        }
        if (req.method !== 'POST' || !isInitializeRequest(body)) {
            jsonRpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id header; send an initialize request first.');
            return;
        }
        if (sessions.size >= maxSessions)
            evictLeastRecentlyUsed();
        const server = options.createServer();
        const transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (id) => {
                sessions.set(id, { transport, server, sub: identity.sub, lastUsed: Date.now() });
            },
        });
        transport.onclose = () => {
            if (transport.sessionId)
                sessions.delete(transport.sessionId);
        };
        await server.connect(transport);
        await transport.handleRequest(req, res, body);
    }
    return {
        handle,
        /** How many sessions are open (diagnostics and tests). */
        get size() {
            return sessions.size;
        },
        async close() {
            clearInterval(sweep);
            await Promise.all([...sessions.keys()].map(closeSession));
        },
    };
}
//# sourceMappingURL=mcp-sessions.js.map