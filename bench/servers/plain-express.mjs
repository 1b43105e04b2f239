import express from 'express';
import { getTodosResult, makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { runChild } from './child-main.mjs';

/**
 * Row (a), the HTTP limit: plain express parsing the JSON-RPC request and answering the same get-todos
 * result body todo-mcp sends, with no MCP, no auth and no store in between.
 */
await runChild(async () => {
  const result = getTodosResult(makeTodos(SEED_COUNT));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post('/mcp', express.json(), (req, res) => {
    res.json({ jsonrpc: '2.0', id: req.body?.id ?? null, result });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.keepAliveTimeout = 30_000;
  return {
    info: { port: server.address().port },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
});
