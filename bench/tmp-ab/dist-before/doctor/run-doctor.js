import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { error, ok, skipped } from './check.js';
import { checkAuthorizationServer } from './check-authorization-server.js';
import { checkProtectedResourceMetadata, checkServer } from './check-resource-server.js';
import { checkCachedToken } from './check-token.js';
/** A real call to get-todos with the cached token: what the user's next `todo-mcp call` would do. */
async function testCall(serverUrl, accessToken) {
    const client = new Client({ name: 'todo-mcp doctor', version: '1' });
    try {
        await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }));
        const result = await client.callTool({ name: 'get-todos', arguments: {} });
        if (result.isError) {
            const text = result.content[0]?.text ?? 'error';
            return error('test-call', 'Test call to get-todos', `The tool answered an error: ${text}`, 'See the server log for details.');
        }
        const todos = result.structuredContent?.todos;
        return ok('test-call', 'Test call to get-todos', `answered with ${todos?.length ?? 0} todo(s).`);
    }
    catch (cause) {
        return error('test-call', 'Test call to get-todos', `failed: ${cause.message}`, 'Fix the errors above first; then `todo-mcp login` again.');
    }
    finally {
        await client.close().catch(() => undefined);
    }
}
/** Walks the chain a client walks — server, metadata, authorization server, keys, token, call — and says where it breaks. */
export async function runDoctor(options) {
    const timeoutMs = options.timeoutMs ?? 5_000;
    const checks = [];
    const finish = () => ({ server: options.serverUrl, checks, ok: !checks.some((c) => c.status === 'error') });
    const server = await checkServer(options.serverUrl, timeoutMs);
    checks.push(...server.checks);
    if (!server.reachable)
        return finish();
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
    }
    else if (options.token) {
        checks.push(skipped('test-call', 'Test call to get-todos', 'skipped until the errors above are fixed.'));
    }
    return finish();
}
//# sourceMappingURL=run-doctor.js.map