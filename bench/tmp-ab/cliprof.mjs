import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';
const setup = await startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless: false, connections: 1 });
const home = '/tmp/cliprof-home';
rmSync(home, { recursive: true, force: true });
mkdirSync(home + '/todo-mcp', { recursive: true, mode: 0o700 });
const now = Math.floor(Date.now() / 1000);
const token = await setup.issuer.sign({ audience: setup.server.resource });
const scopes = ['create:todos', 'read:todos', 'delete:todos'];
writeFileSync(home + '/todo-mcp/tokens.json', JSON.stringify({ version: 1, clients: [], entries: [{ server: setup.server.mcpUrl, resource: setup.server.resource, issuer: setup.issuer.issuer, authorizationServer: setup.issuer.metadata, client: { clientId: 'x', authMethod: 'none', kind: 'pre-registered' }, accessToken: token, tokenType: 'Bearer', expiresAt: now + 3600, scopesRequested: scopes, scopesGranted: scopes, updatedAt: now }] }), { mode: 0o600 });
const env = { PATH: process.env.PATH, HOME: home, TODO_MCP_HOME: home + '/todo-mcp', NO_COLOR: '1' };
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  execFileSync(process.execPath, [...(i === 2 ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cliprof2'] : []), 'bin/todo-mcp.js', 'call', 'get-todos', '--server', setup.server.mcpUrl, '--no-login'], { env, cwd: '/work/main' });
  console.log('call', Math.round(performance.now() - t), 'ms');
}
await setup.close();
