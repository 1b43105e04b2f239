import { startTodoServer } from '../../dist/server/start-todo-server.js';
import { runChild } from './child-main.mjs';

/**
 * Row (c): the real todo-mcp server as `serve` starts it (startTodoServer from dist/), trusting the bench
 * issuer, verifying a JWT on every request and keeping todos in the real durable JSON store. Request
 * lines go nowhere (the cost of a log sink is the operator's choice, not the server's).
 */
await runChild(async ({ issuer, dataFile, stateless = false }) => {
  const running = await startTodoServer({
    config: { port: 0, host: '127.0.0.1', resource: undefined, issuer, authPort: 0, dataFile, allowedOrigins: [], stateless },
  });
  return {
    info: { port: running.port, resource: running.resource, mcpUrl: running.mcpUrl },
    close: () => running.close(),
  };
});
