import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Identity, TokenVerifier } from '../auth/identity.js';
import { JSON_RPC, sendJsonRpcError } from '../http/json-rpc-error.js';
import { ALL_SCOPES } from '../policy/scopes.js';
import { createBearerAuth, type AuthLog } from '../auth/bearer-middleware.js';
import { createToolScopeGuard } from '../auth/scope-guard.js';
import type { TodoRepository } from '../store/todo-repository.js';
import { chainHandlers } from './chain-handlers.js';
import { mcpCors, publicCors } from './cors.js';
import { dropCredentials } from './drop-credentials.js';
import { createMcpSessions, identityFromExtra } from './mcp-sessions.js';
import { createOriginPolicy, hostGuard, originGuard } from './origin-guard.js';
import { buildProtectedResourceMetadata, protectedResourceMetadataUrl } from './protected-resource-metadata.js';
import { protocolVersionGuard } from './protocol-version-guard.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { requestLog } from './request-log.js';
import { createPageCursors } from './page-cursor.js';
import { registerTodoTools } from './todo-tools.js';
import { VERSION } from '../config/version.js';

export interface AppConfig {
  /** The resource identifier (RFC 8707 / RFC 9728), published exactly as given. Example: http://localhost:3001 */
  resource: string;
  /** The trusted authorization server's issuer identifier. */
  issuer: string;
  /** Extra browser origins allowed on the MCP endpoint besides loopback ones. Default none. */
  allowedOrigins?: readonly string[];
  /** Check the Host header against loopback names (set when listening on loopback). Default true. */
  loopbackOnly?: boolean;
  /** Serve without server-side sessions (any replica can answer any request). Default false. */
  stateless?: boolean;
  /** Largest accepted request body. Default '256kb'. */
  maxBodySize?: string;
  /** Most concurrent MCP sessions. Default 1,000. */
  maxSessions?: number;
}

export interface CreateAppOptions {
  config: AppConfig;
  /** Verifies each request's bearer token. */
  verifier: TokenVerifier;
  /** Where todos live. */
  todos: TodoRepository;
  /** Where request lines (at `info`), auth warnings and internal errors go. Default: nowhere. */
  logger?: Logger;
}

const MCP_PATHS = ['/mcp', '/'] as const;

/** The todo MCP server as an express app: metadata routes plus the protected MCP endpoint at /mcp and /. */
export function createApp(options: CreateAppOptions): { app: Express; close: () => Promise<void>; sessionCount: () => number } {
  const { config, verifier, todos } = options;
  const logger = options.logger ?? silentLogger;
  // With request lines off, building each one would be work thrown away on every call: no layer at all.
  const logRequests: RequestHandler[] = logger.isLevelEnabled('info') ? [requestLog(logger)] : [];
  const origin = new URL(config.resource).origin;
  const metadata = buildProtectedResourceMetadata({ resource: config.resource, issuer: config.issuer });
  const isAllowedOrigin = createOriginPolicy(config.allowedOrigins ?? []);
  const authLog: AuthLog = {
    warn: (message, fields) => logger.warn({ component: 'auth', ...fields }, message),
    debug: (message, fields) => logger.debug({ component: 'auth', ...fields }, message),
  };

  // Each McpServer otherwise builds its own Ajv instance, which it only uses to check elicitation answers
  // (these tools never elicit). Built per stateless request, that was ~13% of the server's CPU in the
  // bench's stateless rows; one shared instance holds no client data.
  const jsonSchemaValidator = new AjvJsonSchemaValidator();
  const cursors = createPageCursors({ secret: todos.cursorSecret });
  const sessions = createMcpSessions({
    stateless: config.stateless,
    maxSessions: config.maxSessions,
    createServer: () => {
      const server = new McpServer({ name: 'todo-mcp', version: VERSION }, { capabilities: { tools: {} }, jsonSchemaValidator });
      registerTodoTools(server, { todos, identityOf: identityFromExtra, cursors });
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

  const hostCheck: RequestHandler = config.loopbackOnly === false ? (_req, _res, next) => next() : hostGuard([new URL(config.resource).hostname]);
  for (const path of MCP_PATHS) {
    const resourceMetadataUrl = protectedResourceMetadataUrl(origin, path);
    // One route layer for the whole chain: see chain-handlers.ts for what ten layers cost.
    const endpoint = chainHandlers([
      ...logRequests,
      hostCheck,
      originGuard(isAllowedOrigin),
      mcpCors(isAllowedOrigin),
      createBearerAuth({ verifier, resourceMetadataUrl, challengeScopes: ALL_SCOPES, log: authLog }),
      express.json({ limit: config.maxBodySize ?? '256kb', verify: requireUtf8 }),
      protocolVersionGuard,
      createToolScopeGuard({ resourceMetadataUrl }),
      (req, res, next) => {
        const identity = res.locals.identity as Identity;
        // Tools get the identity only: the raw credential does not travel further than the bearer check.
        dropCredentials(req);
        sessions.handle(req, res, req.body, identity).catch(next);
      },
    ]);
    app.all(path, endpoint);
  }

  app.use(((error, req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status === 413) return sendJsonRpcError(res, 413, JSON_RPC.invalidRequest, 'Request body too large.');
    if (error?.type === 'entity.parse.failed') return sendJsonRpcError(res, 400, JSON_RPC.parseError, 'Parse error: the body is not valid JSON.');
    if (error?.type === INVALID_UTF8) return sendJsonRpcError(res, 400, JSON_RPC.parseError, 'Parse error: the body is not valid UTF-8.');
    if (status >= 400 && status < 500) return sendJsonRpcError(res, status, JSON_RPC.invalidRequest, 'Invalid request.');
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (!res.headersSent) sendJsonRpcError(res, 500, JSON_RPC.internalError, 'Internal server error.');
  }) as ErrorRequestHandler);

  return { app, close: () => sessions.close(), sessionCount: () => sessions.size };
}

const INVALID_UTF8 = 'entity.invalid.utf8';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON must be UTF-8 (RFC 8259 §8.1); the body parser would otherwise turn invalid bytes silently into
 * U+FFFD and store text the client never sent. Runs on the raw bytes before they are decoded.
 */
function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  try {
    utf8.decode(body);
  } catch {
    throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: INVALID_UTF8 });
  }
}
