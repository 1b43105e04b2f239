import { ALL_SCOPES } from '../policy/scopes.js';

/** RFC 9728 Protected Resource Metadata for this server. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: ['header'];
  resource_name: string;
}

/**
 * Builds the document. `resource` is published exactly as configured: normalising it (the SDK turns
 * `http://localhost:3001` into `http://localhost:3001/`) breaks exact-match authorization servers like Logto.
 */
export function buildProtectedResourceMetadata(options: { resource: string; issuer: string; resourceName?: string }): ProtectedResourceMetadata {
  return {
    resource: options.resource,
    authorization_servers: [options.issuer],
    scopes_supported: [...ALL_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: options.resourceName ?? 'todo-mcp',
  };
}

/**
 * RFC 9728 §3.1: the metadata URL inserts `/.well-known/oauth-protected-resource` between the host and the
 * path of the resource (or of the endpoint) it describes.
 */
export function protectedResourceMetadataUrl(origin: string, path = '/'): string {
  const suffix = path === '/' ? '' : path.replace(/\/+$/, '');
  return `${origin}/.well-known/oauth-protected-resource${suffix}`;
}
