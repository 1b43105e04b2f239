import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Identity } from '../auth/identity.js';
import { JSON_RPC, sendJsonRpcError } from '../http/json-rpc-error.js';
import { rejectDuplicateId, repeatedId, requestIds, trackInFlightIds, type InFlightIds } from './in-flight-ids.js';

export interface McpSessionsOptions {
  /** Builds a fresh MCP server; one per session (or per request when stateless), never shared between clients. */
  createServer: () => McpServer;
  /** No server-side session state: every request gets its own server and transport. Default false. */
  stateless?: boolean;
  /** Most sessions kept at once; the least recently used is closed to make room. Default 1,000. */
  maxSessions?: number;
  /** A session unused this long is closed. Default 30 minutes. */
  idleTimeoutMs?: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** The subject that opened the session: only the same subject may use it. */
  sub: string;
  lastUsed: number;
  /** Request ids the session is answering: a second request reusing one is refused, not left hanging. */
  ids: InFlightIds;
}

/** The request as the SDK transport reads it: `auth` becomes `extra.authInfo` in tool handlers. */
type AuthedRequest = IncomingMessage & { auth?: AuthInfo };

/** Carries the verified identity to the tools; the token itself is deliberately left out. */
function authInfoFor(identity: Identity): AuthInfo {
  return {
    token: '',
    clientId: identity.clientId ?? '',
    scopes: [...identity.scopes],
    expiresAt: identity.expiresAt,
    extra: { identity },
  };
}

/** Reads back what {@link authInfoFor} attached. */
export function identityFromExtra(extra: { authInfo?: { extra?: Record<string, unknown> } }): Identity | undefined {
  return extra.authInfo?.extra?.identity as Identity | undefined;
}

/** Routes Streamable HTTP requests to per-session MCP servers bound to the subject that created them. */
export function createMcpSessions(options: McpSessionsOptions) {
  const maxSessions = options.maxSessions ?? 1_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const sessions = new Map<string, Session>();

  const sweep = setInterval(() => {
    const cutoff = Date.now() - idleTimeoutMs;
    for (const [id, session] of sessions) if (session.lastUsed < cutoff) void closeSession(id);
  }, Math.min(idleTimeoutMs, 60_000));
  sweep.unref();

  async function closeSession(id: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    await session.transport.close().catch(() => undefined);
    await session.server.close().catch(() => undefined);
  }

  function evictLeastRecentlyUsed(): void {
    let oldest: [string, Session] | undefined;
    for (const entry of sessions) if (!oldest || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
    if (oldest) void closeSession(oldest[0]);
  }

  async function handleStateless(req: AuthedRequest, res: ServerResponse, body: unknown): Promise<void> {
    // Each request has its own transport, so only a batch can repeat an id; the SDK would answer one of the two.
    const repeated = repeatedId(requestIds(body));
    if (repeated !== undefined) return rejectDuplicateId(res, repeated);
    const server = options.createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handle(req: AuthedRequest, res: ServerResponse, body: unknown, identity: Identity): Promise<void> {
    req.auth = authInfoFor(identity);
    if (options.stateless) return handleStateless(req, res, body);

    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const session = sessions.get(sessionId);
      // Another user's session id answers exactly like an unknown one: sessions are never authentication.
      if (!session || session.sub !== identity.sub) {
        sendJsonRpcError(res, 404, JSON_RPC.sessionNotFound, 'Session not found: start a new session with an initialize request.');
        return;
      }
      session.lastUsed = Date.now();
      const claim = session.ids.claim(body);
      if (claim.inUse !== undefined) return rejectDuplicateId(res, claim.inUse);
      try {
        await session.transport.handleRequest(req, res, body);
      } finally {
        claim.settled();
      }
      return;
    }

    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      sendJsonRpcError(res, 400, JSON_RPC.serverError, 'Bad Request: no Mcp-Session-Id header; send an initialize request first.');
      return;
    }
    if (sessions.size >= maxSessions) evictLeastRecentlyUsed();

    const server = options.createServer();
    let ids: InFlightIds | undefined;
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, sub: identity.sub, lastUsed: Date.now(), ids: ids! });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    ids = trackInFlightIds(transport);
    const claim = ids.claim(body);
    try {
      await transport.handleRequest(req, res, body);
    } finally {
      if (claim.inUse === undefined) claim.settled();
    }
  }

  return {
    handle,
    /** How many sessions are open (diagnostics and tests). */
    get size() {
      return sessions.size;
    },
    async close(): Promise<void> {
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(closeSession));
    },
  };
}

export type McpSessions = ReturnType<typeof createMcpSessions>;
