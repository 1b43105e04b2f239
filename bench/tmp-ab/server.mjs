import { runChild } from '../servers/child-main.mjs';
await runChild(async ({ issuer, dataFile, stateless = false, dist }) => {
  const { startTodoServer } = await import(`${dist}/server/start-todo-server.js`);
  const running = await startTodoServer({ config: { port: 0, host: '127.0.0.1', resource: undefined, issuer, authPort: 0, dataFile, allowedOrigins: [], stateless } });
  return { info: { port: running.port, resource: running.resource }, close: () => running.close() };
});
