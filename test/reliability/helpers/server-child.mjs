#!/usr/bin/env node
// Runs the compiled todo server with options `todo-mcp serve` does not expose (a short JWKS cool-down),
// printing the same ready lines as the CLI, and closing cleanly on SIGTERM. Argument: JSON options.
import { createLogger } from '../../../dist/log/create-logger.js';
import { startTodoServer } from '../../../dist/server/start-todo-server.js';

const { config, jwksCooldownMs } = JSON.parse(process.argv[2] ?? '{}');
// The log `serve` writes to a pipe: JSON lines on stdout.
const running = await startTodoServer({ config, jwksCooldownMs, logger: createLogger() });
process.stdout.write(`MCP endpoint     ${running.mcpUrl}\n  resource         ${running.resource}\n  trusted issuer   ${running.issuer}\n`);
process.once('SIGTERM', () => {
  running.close().then(() => process.exit(0), () => process.exit(1));
});
