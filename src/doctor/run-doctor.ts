import { checkStructuredContent } from '../client/check-structured-content.js';
import { listAllTools } from '../client/list-all-tools.js';
import { withMcpSession } from '../client/mcp-session.js';
import type { TokenStore } from '../client/token-store.js';
import { DEFAULTS } from '../config/defaults.js';
import { error, ok, skipped, type DoctorCheck, type DoctorReport } from './check.js';
import { checkAuthorizationServer } from './check-authorization-server.js';
import { checkProtectedResourceMetadata, checkServer } from './check-resource-server.js';
import { checkLoginClient, type LoginClientSettings } from './check-login-client.js';
import { checkCachedToken, type CachedToken } from './check-token.js';

export interface DoctorOptions {
  /** The MCP endpoint to diagnose. */
  serverUrl: string;
  /** The resource identifier the user configured (config file / env), compared with the published one. Default: none. */
  configuredResource?: string;
  /** The cached token for this server, if any. */
  token?: CachedToken;
  /** The token store the test call uses, as `todo-mcp call` does (refreshing an expired token). Default: none, no test call. */
  store?: TokenStore;
  /** Timeout per request in milliseconds. Default: 5000 (DEFAULTS.doctorTimeoutSeconds). */
  timeoutMs?: number;
  /** How `login` would get a client id (flags, environment, config file). Default: nothing configured. */
  client?: LoginClientSettings;
  /** Aborting it ends the test call (its session closed). Default: none. */
  signal?: AbortSignal;
}

/**
 * A real call to get-todos through the client and session `todo-mcp call` uses (stored token, refreshed
 * when expired; never a login): list the tools, call, check the result against the tool's output schema.
 */
async function testCall(serverUrl: string, store: TokenStore, timeoutMs: number, signal: AbortSignal | undefined): Promise<DoctorCheck> {
  const title = 'Test call to get-todos';
  try {
    const outcome = await withMcpSession({ serverUrl, store, timeoutMs, signal }, async (client) => {
      const tool = (await listAllTools(client)).find((t) => t.name === 'get-todos');
      if (!tool) return undefined;
      const result = await client.callTool(tool.name, {});
      await checkStructuredContent(tool, result);
      return result;
    });
    if (!outcome) return error('test-call', title, `${serverUrl} has no get-todos tool.`, 'Check the URL: it should be the todo MCP server\'s endpoint.');
    if (outcome.isError) {
      const text = outcome.content.find((item) => item.type === 'text')?.text ?? 'error';
      return error('test-call', title, `The tool answered an error: ${text}`, 'See the server log for details.');
    }
    const todos = (outcome.structuredContent as { todos?: unknown[] } | undefined)?.todos;
    return ok('test-call', title, `answered with ${todos?.length ?? 0} todo(s).`);
  } catch (cause) {
    if (signal?.aborted) throw cause;
    return error('test-call', title, `failed: ${(cause as Error).message}`, 'Fix the errors above first; then `todo-mcp login` again.');
  }
}

/** Walks the chain a client walks — server, metadata, authorization server, keys, token, call — and says where it breaks. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.doctorTimeoutSeconds * 1000;
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
  checks.push(...checkLoginClient({ metadata: 'metadata' in as ? as.metadata : undefined, client: options.client, resources: [prm.metadata?.resource, options.configuredResource] }));

  const resource = prm.metadata?.resource ?? options.configuredResource;
  if (!resource) {
    checks.push(skipped('token', 'Cached login', 'No resource identifier known; token checks skipped.'));
    return finish();
  }
  const token = await checkCachedToken(options.token, { issuer, resource, keys: as.keys });
  checks.push(...token.checks);
  if (options.token && options.store && token.usable && !checks.some((c) => c.status === 'error')) {
    checks.push(await testCall(options.serverUrl, options.store, timeoutMs, options.signal));
  } else if (options.token) {
    checks.push(skipped('test-call', 'Test call to get-todos', 'skipped until the errors above are fixed.'));
  }
  return finish();
}
