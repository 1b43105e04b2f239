import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';

/** One HTTP request the remote received. */
export interface SeenRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON-RPC body of a POST. */
  readonly body?: { method?: string; id?: unknown; params?: any };
}

/**
 * A remote MCP server built from the SDK's own McpServer and Streamable HTTP transport (no auth), for what
 * todo-mcp's server never does: ping the client, ask it for sampling or elicitation, cancel its own
 * requests, close a stream mid-answer. Stateful, one McpServer per session.
 */
export interface SdkRemote {
  readonly url: string;
  readonly seen: SeenRequest[];
  /** The McpServer of each session, in the order they were opened. */
  readonly servers: McpServer[];
  /** Forget every session (as a restart would): the next request with an old session id gets 404. */
  forgetSessions(): Promise<void>;
  close(): Promise<void>;
}

export interface SdkRemoteOptions {
  /** Registers tools on each session's server. */
  readonly setup: (server: McpServer) => void;
  /** Keep events so streams can be resumed with Last-Event-ID (and tell clients to retry after 50 ms). Default: false. */
  readonly resumable?: boolean;
}

export async function startSdkRemote(options: SdkRemoteOptions): Promise<SdkRemote> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const seen: SeenRequest[] = [];
  const servers: McpServer[] = [];

  const http = createServer(async (req, res) => {
    let body: SeenRequest['body'];
    if (req.method === 'POST') {
      let text = '';
      for await (const chunk of req) text += chunk;
      body = JSON.parse(text);
    }
    seen.push({ method: req.method ?? '', headers: req.headers, ...(body ? { body } : {}) });
    const sessionId = req.headers['mcp-session-id'] as string | undefined;
    if (sessionId) {
      const transport = sessions.get(sessionId);
      if (!transport) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      await transport.handleRequest(req, res, body);
      return;
    }
    const server = new McpServer({ name: 'sdk-remote', version: '1.0.0' }, { capabilities: { logging: {} } });
    options.setup(server);
    servers.push(server);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
      ...(options.resumable ? { eventStore: new InMemoryEventStore(), retryInterval: 50 } : {}),
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const forgetSessions = async () => {
    const open = [...sessions.values()];
    sessions.clear();
    await Promise.all(open.map((transport) => transport.close().catch(() => undefined)));
  };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    servers,
    forgetSessions,
    async close() {
      await forgetSessions();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
