import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevAuthServer, type DevAuthServer, type DevAuthServerOptions } from '../../src/dev-auth/start-dev-auth-server.js';
import { createLogger } from '../../src/log/create-logger.js';

/** The MCP resource the test servers accept (exact string, no trailing slash, as Logto compares). */
export const TEST_RESOURCE = 'http://localhost:3001';

export interface DevAuthFixture {
  server: DevAuthServer;
  /** The server's data directory (inside a fresh temp dir). */
  dataDir: string;
  /** Lines the server logged (JSON, at debug and above). */
  logs: string[];
  /** Stop the server and start a new one on the same port and data directory (same issuer). */
  restart(): Promise<DevAuthServer>;
  /** Stop the server and delete the temp dir. */
  cleanup(): Promise<void>;
}

/** A development authorization server on 127.0.0.1, port 0, with its state in a temp dir. */
export async function startDevAuthFixture(options: Partial<DevAuthServerOptions> = {}): Promise<DevAuthFixture> {
  const root = await mkdtemp(join(tmpdir(), 'todo-mcp-dev-auth-'));
  const dataDir = join(root, 'dev-auth');
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: { write: (line: string) => logs.push(line) } });
  const start = (port = 0) => startDevAuthServer({ port, resources: [TEST_RESOURCE], dataDir, logger, ...options });
  const fixture: DevAuthFixture = {
    server: await start(),
    dataDir,
    logs,
    async restart() {
      const { port } = fixture.server;
      await fixture.server.close();
      fixture.server = await start(port);
      return fixture.server;
    },
    async cleanup() {
      await fixture.server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return fixture;
}
