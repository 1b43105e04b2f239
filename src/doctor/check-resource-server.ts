import { protectedResourceMetadataUrls, resourceCoversServer, type ProtectedResourceMetadata } from '../client/discover-protected-resource.js';
import { probeServer } from '../client/probe-server.js';
import { fetchJsonObject } from '../http/fetch-json-object.js';
import { error, ok, warning, type DoctorCheck } from './check.js';

/** The server answers an unauthenticated initialize (the login's own probe) with a 401 challenge that points at its metadata. */
export async function checkServer(serverUrl: string, timeoutMs: number): Promise<{ checks: DoctorCheck[]; resourceMetadataUrl?: string; reachable: boolean }> {
  const probe = await probeServer(serverUrl, { timeoutMs });
  if (!probe.reached) {
    return {
      reachable: false,
      checks: [error('server', 'MCP server reachable', `No answer from ${serverUrl} (${probe.reason}).`, 'Start it with `todo-mcp serve`, or pass the right URL (--server or the config file\'s "server").')],
    };
  }
  const { challenge, status } = probe;
  if (status !== 401) {
    const detail = `${serverUrl} answered HTTP ${status} to a request without a token.`;
    const answered = status >= 200 && status < 300;
    return { reachable: true, checks: [answered ? warning('server', 'MCP server requires a token', detail, 'This server does not ask for OAuth; nothing else to check.') : error('server', 'MCP server reachable', detail, 'Check the URL: the MCP endpoint is usually …/mcp.')] };
  }
  const checks = [ok('server', 'MCP server reachable', `${serverUrl} answers 401 with a Bearer challenge.`)];
  if (!challenge?.resourceMetadata) {
    checks.push(warning('challenge', 'Challenge names the resource metadata', 'The 401 has no resource_metadata parameter (RFC 9728 §5.1).', 'Clients fall back to the well-known URLs; servers should send resource_metadata.'));
  } else {
    checks.push(ok('challenge', 'Challenge names the resource metadata', challenge.resourceMetadata));
  }
  return { reachable: true, checks, resourceMetadataUrl: challenge?.resourceMetadata };
}

/** PRM at the path-suffixed and root URLs: present, consistent, and naming a resource that fits. */
export async function checkProtectedResourceMetadata(
  serverUrl: string,
  options: { resourceMetadataUrl?: string; configuredResource?: string; timeoutMs: number },
): Promise<{ checks: DoctorCheck[]; metadata?: ProtectedResourceMetadata }> {
  const urls = protectedResourceMetadataUrls(serverUrl);
  const found = await Promise.all(urls.map(async (url) => ({ url, result: await fetchJsonObject(fetch, url, options.timeoutMs) })));
  const good = found.flatMap((f) => (f.result.ok && typeof f.result.body.resource === 'string' ? [{ url: f.url, body: f.result.body }] : []));
  const checks: DoctorCheck[] = [];
  const summary = found.map((f) => `${f.url} → ${f.result.ok ? 'HTTP 200' : f.result.outcome}`).join('; ');
  if (good.length === 0) {
    checks.push(error('prm', 'Protected Resource Metadata', `None found: ${summary}.`, 'The server must publish /.well-known/oauth-protected-resource (RFC 9728).'));
    return { checks };
  }
  const metadata = good[0]!.body as unknown as ProtectedResourceMetadata;
  const differing = good.filter((g) => JSON.stringify(g.body) !== JSON.stringify(metadata));
  if (good.length < found.length) {
    checks.push(warning('prm', 'Protected Resource Metadata', `Only some URLs answer: ${summary}.`, 'Publish the document at both the path-suffixed and the root URL.'));
  } else if (differing.length > 0) {
    checks.push(error('prm', 'Protected Resource Metadata', `The documents differ between ${urls.join(' and ')}.`, 'Serve the same metadata at both URLs.'));
  } else {
    checks.push(ok('prm', 'Protected Resource Metadata', `Found at ${urls.join(' and ')}, identical.`));
  }

  const resource = metadata.resource;
  if (!resourceCoversServer(resource, serverUrl)) {
    checks.push(error('prm-resource', 'Resource identifier matches the server URL', `The metadata says resource ${resource}, which does not cover ${serverUrl} (RFC 9728 §3.3).`, 'Set --resource to this server\'s own URL (scheme, host and port, e.g. http://localhost:3001).'));
  } else {
    checks.push(ok('prm-resource', 'Resource identifier matches the server URL', `${resource} covers ${serverUrl}.`));
  }
  if (options.configuredResource !== undefined && options.configuredResource !== resource) {
    const slash = options.configuredResource.replace(/\/+$/, '') === resource.replace(/\/+$/, '');
    checks.push(
      error(
        'configured-resource',
        'Resource identifier matches the configuration',
        `The server publishes ${JSON.stringify(resource)} but the configuration says ${JSON.stringify(options.configuredResource)}${slash ? ' — they differ only by a trailing slash' : ''}.`,
        slash
          ? 'Use exactly the same string everywhere: authorization servers such as Logto compare resource indicators byte for byte, so a trailing slash is a different resource.'
          : 'Make the server\'s --resource, the config file\'s "resource" and the provider\'s API identifier the same string.',
      ),
    );
  } else if (options.configuredResource !== undefined) {
    checks.push(ok('configured-resource', 'Resource identifier matches the configuration', resource));
  }
  if (!metadata.authorization_servers?.length) {
    checks.push(error('prm-issuer', 'Authorization server named', 'authorization_servers is empty.', 'Pass --issuer to todo-mcp serve.'));
  }
  return { checks, metadata };
}
