import express from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ALL_SCOPES } from '../auth/scopes.js';
import { createBearerAuth } from '../auth/bearer-middleware.js';
import { createToolScopeGuard } from '../auth/scope-guard.js';
import { mcpCors, publicCors } from './cors.js';
import { createMcpSessions, identityFromExtra } from './mcp-sessions.js';
import { createOriginPolicy, hostGuard, originGuard } from './origin-guard.js';
import { buildProtectedResourceMetadata, protectedResourceMetadataUrl } from './protected-resource-metadata.js';
import { protocolVersionGuard } from './protocol-version-guard.js';
import { requestLog } from './request-log.js';
import { registerTodoTools } from './todo-tools.js';
const MCP_PATHS = ['/mcp', '/'];
/** The todo MCP server as an express app: metadata routes plus the protected MCP endpoint at /mcp and /. */
export function createApp(options) {
    const { config, verifier, todos } = options;
    const log = options.log ?? (() => undefined);
    const origin = new URL(config.resource).origin;
    const metadata = buildProtectedResourceMetadata({ resource: config.resource, issuer: config.issuer });
    const isAllowedOrigin = createOriginPolicy(config.allowedOrigins ?? []);
    const authLog = { warn: (message) => log(`auth: ${message}`) };
    const sessions = createMcpSessions({
        stateless: config.stateless,
        maxSessions: config.maxSessions,
        createServer: () => {
            const server = new McpServer({ name: 'todo-mcp', version: '0.1.0' }, { capabilities: { tools: {} } });
            registerTodoTools(server, { todos, identityOf: identityFromExtra });
            return server;
        },
    });
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.options(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'], publicCors);
    app.get('/.well-known/oauth-protected-resource', publicCors, (_req, res) => {
        res.json(metadata);
    });
    app.get('/.well-known/oauth-protected-resource/mcp', publicCors, (_req, res) => {
        res.json(metadata);
    });
    const hostCheck = config.loopbackOnly === false ? (_req, _res, next) => next() : hostGuard([new URL(config.resource).hostname]);
    for (const path of MCP_PATHS) {
        const resourceMetadataUrl = protectedResourceMetadataUrl(origin, path);
        app.all(path, requestLog(log), hostCheck, originGuard(isAllowedOrigin), mcpCors(isAllowedOrigin), createBearerAuth({ verifier, resourceMetadataUrl, challengeScopes: ALL_SCOPES, log: authLog }), express.json({ limit: config.maxBodySize ?? '256kb', verify: requireUtf8 }), protocolVersionGuard, createToolScopeGuard({ resourceMetadataUrl }), (req, res, next) => {
            const identity = res.locals.identity;
            // Tools get the identity only: the raw credential does not travel further than the bearer check.
            delete req.headers.authorization;
            sessions.handle(req, res, req.body, identity).catch(next);
        });
    }
    app.use(((error, _req, res, _next) => {
        const status = typeof error?.status === 'number' ? error.status : 500;
        if (status === 413)
            return void res.status(413).json(rpcError(-32600, 'Request body too large.'));
        if (error?.type === 'entity.parse.failed')
            return void res.status(400).json(rpcError(-32700, 'Parse error: the body is not valid JSON.'));
        if (error?.type === INVALID_UTF8)
            return void res.status(400).json(rpcError(-32700, 'Parse error: the body is not valid UTF-8.'));
        if (status >= 400 && status < 500)
            return void res.status(status).json(rpcError(-32600, 'Invalid request.'));
        log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent)
            res.status(500).json(rpcError(-32603, 'Internal server error.'));
    }));
    return { app, close: () => sessions.close(), sessionCount: () => sessions.size };
}
const INVALID_UTF8 = 'entity.invalid.utf8';
const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * JSON must be UTF-8 (RFC 8259 §8.1); the body parser would otherwise turn invalid bytes silently into
 * U+FFFD and store text the client never sent. Runs on the raw bytes before they are decoded.
 */
function requireUtf8(_req, _res, body) {
    try {
        utf8.decode(body);
    }
    catch {
        throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: INVALID_UTF8 });
    }
}
function rpcError(code, message) {
    return { jsonrpc: '2.0', error: { code, message }, id: null };
}
//# sourceMappingURL=create-app.js.map