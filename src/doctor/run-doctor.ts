import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { error, ok, skipped, type DoctorCheck, type DoctorReport } from './check.js';
import { checkAuthorizationServer } from './check-authorization-server.js';
import { checkProtectedResourceMetadata, checkServer } from './check-resource-server.js';
import { checkCachedToken, type CachedToken } from './check-token.js';

export interface DoctorOptions {
  /** The MCP endpoint to diagnose. */
  serverUrl: string;
  /** The resource identifier the user configured (config file / env), compared with the published one. Default: none. */
  configuredResource?: string;
  /** The cached token for this server, if any. */
  token?: CachedToken;
  /** Timeout per request in milliseconds. Default 5000. */
  timeoutMs?: number;
}

/** A real call to get-todos with the cached token: what the user's next `todo-mcp call` would do. */
async function testCall(serverUrl: string, accessToken: string): Promise<DoctorCheck> {
  const client = new Client({ name: 'todo-mcp doctor', version: '1' });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }));
    const result = await client.callTool({ name: 'get-todos', arguments: {} });
    if (result.isError) {
      const text = (result.content as Array<{ text?: string }>)[0]?.text ?? 'error';
      return error('test-call', 'Test call to get-todos', `The tool answered an error: ${text}`, 'See the server log for details.');
    }
    const todos = (result.structuredContent as { todos?: unknown[] } | undefined)?.todos;
    return ok('test-call', 'Test call to get-todos', `answered with ${todos?.length ?? 0} todo(s).`);
  } catch (cause) {
    return error('test-call', 'Test call to get-todos', `failed: ${(cause as Error).message}`, 'Fix the errors above first; then `todo-mcp login` again.');
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Walks the chain a client walks — server, metadata, authorization server, keys, token, call — and says where it breaks. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const checks: DoctorCheck[] = [];
  const finish = (): DoctorReport => ({ server: options.serverUrl, checks, ok: !checks.some((c) => c.status === 'error') });

  const server = await checkServer(options.serverUrl, timeoutMs);
  checks.push(...server.checks);
  if (!server.reachable) return finish();

  const prm = await checkProtectedResourceMetadata(options.serverUrl, { resourceMetadataUrl: server.resourceMetadataUrl, configuredResource: options.configuredResource, timeoutMs });
  checks.push(...prm.checks);
  const issuer = prm.metadata?.authorization_servers?.[0];
  const as = issuer ? await checkAuthorizationServer(issuer, timeoutMs) : { checks: [], keys: undefined };
  checks.push(...as.checks);

  const resource = prm.metadata?.resource ?? options.configuredResource;
  if (!resource) {
    checks.push(skipped('token', 'Cached login', 'No resource identifier known; token checks skipped.'));
    return finish();
  }
  const token = await checkCachedToken(options.token, { issuer, resource, keys: as.keys });
  checks.push(...token.checks);
  if (options.token && token.usable && !checks.some((c) => c.status === 'error')) {
    checks.push(await testCall(options.serverUrl, options.token.accessToken));
  } else if (options.token) {
    checks.push(skipped('test-call', 'Test call to get-todos', 'skipped until the errors above are fixed.'));
  }
  return finish();
}
