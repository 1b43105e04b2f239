import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { runChild } from './child-main.mjs';

/**
 * Row (b), the baseline: the official SDK's McpServer + StreamableHTTPServerTransport behind express,
 * with the same three tools and schemas as todo-mcp, an in-memory list, and no auth. Transport settings
 * match todo-mcp's (SSE answers with sessions, JSON answers when stateless) so only our own work differs.
 */
const todoShape = z.object({ id: z.string(), content: z.string(), ownerId: z.string(), createdAt: z.string() });

function createServer(todos) {
  const server = new McpServer({ name: 'bare-sdk', version: '0.0.0' }, { capabilities: { tools: {} } });
  const describe = (t) => `${t.id}  ${t.content}`;
  server.registerTool(
    'create-todo',
    { title: 'Create todo', inputSchema: { content: z.string() }, outputSchema: { todo: todoShape } },
    async ({ content }) => {
      const todo = Object.freeze({ id: randomUUID(), content: content.trim(), ownerId: 'bench-user', createdAt: new Date().toISOString() });
      todos.push(todo);
      return { content: [{ type: 'text', text: `Created todo ${describe(todo)}` }], structuredContent: { todo } };
    },
  );
  // The same schemas as todo-mcp's get-todos (a page of at most `limit`, a cursor to go on); its paging
  // is a plain slice, enough for the bench's lists, which fit in one page.
  server.registerTool(
    'get-todos',
    {
      title: 'List todos',
      inputSchema: { limit: z.number().int().min(1).max(1000).optional(), cursor: z.string().min(1).max(512).optional() },
      outputSchema: { todos: z.array(todoShape), scope: z.enum(['all', 'own']), nextCursor: z.string().optional() },
    },
    async ({ limit = 100, cursor }) => {
      const start = cursor === undefined ? 0 : Number(cursor);
      const list = todos.slice(start, start + limit);
      const more = start + limit < todos.length;
      const lines = list.length === 0 ? ['No todos.'] : list.map(describe);
      if (more) lines.push(`More todos follow; nextCursor: ${start + limit}`);
      return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: { todos: list, scope: 'all', ...(more ? { nextCursor: String(start + limit) } : {}) } };
    },
  );
  server.registerTool(
    'delete-todo',
    { title: 'Delete todo', inputSchema: { id: z.string().min(1).max(128) }, outputSchema: { deleted: todoShape } },
    async ({ id }) => {
      const index = todos.findIndex((t) => t.id === id);
      if (index < 0) return { content: [{ type: 'text', text: `No todo with id ${JSON.stringify(id)}` }], isError: true };
      const [deleted] = todos.splice(index, 1);
      return { content: [{ type: 'text', text: `Deleted todo ${describe(deleted)}` }], structuredContent: { deleted } };
    },
  );
  return server;
}

await runChild(async ({ stateless = false }) => {
  const todos = makeTodos(SEED_COUNT);
  const sessions = new Map();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json());

  app.post('/mcp', async (req, res) => {
    if (stateless) {
      const server = createServer(todos);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      return;
    }
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (session) return void (await session.handleRequest(req, res, req.body));
    if (id !== undefined || !isInitializeRequest(req.body)) {
      res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request' }, id: null });
      return;
    }
    const server = createServer(todos);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.keepAliveTimeout = 30_000;
  return {
    info: { port: server.address().port },
    stats: () => ({ todos: todos.length, sessions: sessions.size }),
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      await new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
});
